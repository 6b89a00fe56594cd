{#
    The published face of int_feeds_reconciled: what tools (publish, the
    dashboard, BI) read to show that every raw row was staged or quarantined.
#}

with

feeds_reconciled as (
    select * from {{ ref('int_feeds_reconciled') }}
),

final as (
    select
        source_feed,
        loaded_rows,
        staged_rows,
        quarantined_rows,
        is_reconciled
    from feeds_reconciled
)

select * from final
