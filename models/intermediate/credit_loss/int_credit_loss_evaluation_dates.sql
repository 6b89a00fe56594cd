{#
    The dates the Family A loss allowance is measured at: as_of_date
    (int_reporting_dates) and the month-end before the as-of month, the
    opening date of the allowance movement. Each gets its own transition
    matrix, PD term structure, LGD and per-loan ECL. No rows when Family A
    has no as_of_date.
#}

with

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
    where portfolio = 'family_a' and as_of_date is not null
),

as_of_months as (
    select
        as_of_date,
        cast({{ dbt.date_trunc('month', 'as_of_date') }} as date) as as_of_month
    from reporting_dates
),

evaluation_dates as (
    select
        as_of_date as evaluation_date,
        as_of_month as evaluation_month,
        true as is_as_of_date,
        as_of_date
    from as_of_months
    union all
    select
        cast({{ dbt.last_day(dbt.dateadd('month', -1, 'as_of_month'), 'month') }} as date)
            as evaluation_date,
        cast({{ dbt.dateadd('month', -1, 'as_of_month') }} as date) as evaluation_month,
        false as is_as_of_date,
        as_of_date
    from as_of_months
),

final as (
    select
        -- dates
        evaluation_date,
        evaluation_month,
        as_of_date,
        -- flags
        is_as_of_date
    from evaluation_dates
)

select * from final
