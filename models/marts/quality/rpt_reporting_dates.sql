{#
    The published face of int_reporting_dates: the date each portfolio is
    reported as of, and a warning when that date is doubtful, for tools
    (publish's manifest, the dashboard header) that must not read the
    intermediate layer.
#}

with

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

final as (
    select
        portfolio,
        as_of_date,
        latest_event_date,
        as_of_date_source,
        as_of_warning
    from reporting_dates
)

select * from final
