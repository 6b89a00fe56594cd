{#
    MetricFlow's time spine: one row per calendar day over var
    plausible_date_range (1970-01-01 .. 2099-12-31 by default), the range
    outside which the base models quarantine a date, so every date a metric
    can be grouped by lies on the spine. The length is computed in Jinja from
    the var (no query at compile time) and the days are built from dbt's
    portable number series and dateadd (no engine-specific syntax).
#}

{%- set date_range = var('plausible_date_range') -%}
{%- set first_day = modules.datetime.date.fromisoformat(date_range[0]) -%}
{%- set last_day = modules.datetime.date.fromisoformat(date_range[1]) -%}
{%- set days_count = (last_day - first_day).days + 1 -%}

with

day_numbers as (
    {{ dbt.generate_series(days_count) }}
),

days as (
    select
        cast(
            {{ dbt.dateadd('day', 'generated_number - 1', "cast('" ~ first_day ~ "' as date)") }}
            as date
        ) as date_day
    from day_numbers
),

final as (
    select date_day
    from days
)

select * from final
