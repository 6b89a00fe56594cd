{#
    Rows quarantined per raw feed and reason, counted from
    stg_quarantine__rows (the one home of the quarantined rows). Read by the
    data-quality summary mart, so that the mart reads intermediates only.
#}

with

quarantined_rows as (
    select * from {{ ref('stg_quarantine__rows') }}
),

final as (
    select
        -- ids
        source_feed,
        quarantine_reason,
        -- measures
        cast(count(*) as {{ dbt.type_bigint() }}) as quarantined_rows
    from quarantined_rows
    group by source_feed, quarantine_reason
)

select * from final
