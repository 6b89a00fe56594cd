{#
    The Family A reporting calendar: one row per month from the first
    disbursal month to the month of as_of_date (int_reporting_dates,
    portfolio family_a). Each month is observed at its month-end, except the
    as-of month, which is observed at as_of_date itself: a later date would
    need payments the warehouse is not reporting yet. When as_of_date is a
    month-end the two coincide. Empty when Family A has no disbursed loan.
    Table (a few dozen rows): its tests and its two readers would otherwise
    each recompute the reporting dates from every order and payment.
#}

with

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
    where portfolio = 'family_a'
),

loans as (
    select * from {{ ref('int_loans_disbursed') }}
),

{# No row (hence no month) when no loan is disbursed by as_of_date. #}
bounds as (
    select
        reporting_dates.as_of_date,
        min(loans.disbursed_date) as first_disbursed_date
    from reporting_dates
    inner join loans
        on reporting_dates.as_of_date >= loans.disbursed_date
    group by reporting_dates.as_of_date
),

months as (
    {{ month_end_series('bounds', 'first_disbursed_date', 'as_of_date') }}
),

final as (
    select
        -- dates
        months.month_start_date as reporting_month,
        least(months.month_end_date, bounds.as_of_date) as snapshot_date,
        -- flags
        months.month_end_date >= bounds.as_of_date as is_as_of_date,
        months.month_end_date > bounds.as_of_date as is_month_to_date
    from months
    cross join bounds
)

select * from final
