{#
    The loan book as a time series by start month: loans disbursed each
    month (count and amount), what those loans have repaid and still owe,
    how many defaulted and how many of the active ones are behind their
    amortisation schedule. Every calendar month from the first start month
    to the reporting date is listed (a month without new loans shows
    zeros). Repayments, defaults and balances are those of the extract for
    the loans started that month (the feed has no payment or default
    dates): read them as the month's cohort outcome, not as activity in the
    month (doc family_b_as_of_meaning).
#}

with

loans as (
    select * from {{ ref('int_loans_amortised') }}
),

bounds as (
    select
        min(start_date) as first_start_date,
        max(as_of_date) as as_of_date,
        max(case when is_as_of_before_extract then 1 else 0 end) = 1 as is_as_of_before_extract
    from loans
),

months as (
    {{ month_end_series('bounds', 'first_start_date', 'as_of_date') }}
),

loans_by_month as (
    select
        cast({{ dbt.date_trunc('month', 'start_date') }} as date) as start_month,
        {{ loan_totals() }},
        count(case when loan_status = 'Defaulted' then 1 end) as defaulted_loans_count,
        sum(case when loan_status = 'Defaulted' then principal_amount else 0 end)
            as defaulted_amount,
        count(case when is_active then 1 end) as active_loans_count,
        count(case when is_behind_schedule then 1 end) as behind_schedule_loans_count
    from loans
    group by cast({{ dbt.date_trunc('month', 'start_date') }} as date)
),

months_filled as (
    select
        months.month_start_date as start_month,
        months.month_end_date,
        coalesce(loans_by_month.loans_count, 0) as loans_count,
        coalesce(loans_by_month.disbursed_amount, 0) as disbursed_amount,
        coalesce(loans_by_month.repaid_amount, 0) as repaid_amount,
        coalesce(loans_by_month.outstanding_amount, 0) as outstanding_amount,
        coalesce(loans_by_month.defaulted_loans_count, 0) as defaulted_loans_count,
        coalesce(loans_by_month.defaulted_amount, 0) as defaulted_amount,
        coalesce(loans_by_month.active_loans_count, 0) as active_loans_count,
        coalesce(loans_by_month.behind_schedule_loans_count, 0) as behind_schedule_loans_count
    from months
    left join loans_by_month
        on months.month_start_date = loans_by_month.start_month
),

final as (
    select
        -- ids
        months_filled.start_month,
        -- dimensions
        bounds.is_as_of_before_extract,
        -- measures
        months_filled.loans_count,
        months_filled.disbursed_amount,
        sum(months_filled.disbursed_amount) over (
            order by months_filled.start_month
            rows between unbounded preceding and current row
        ) as cumulative_disbursed_amount,
        months_filled.repaid_amount,
        months_filled.outstanding_amount,
        months_filled.defaulted_loans_count,
        months_filled.defaulted_amount,
        {{ safe_divide('months_filled.defaulted_loans_count', 'months_filled.loans_count') }}
            as default_rate,
        months_filled.active_loans_count,
        months_filled.behind_schedule_loans_count,
        {{ safe_divide(
            'months_filled.behind_schedule_loans_count', 'months_filled.active_loans_count'
        ) }} as behind_schedule_share,
        -- dates
        months_filled.month_end_date,
        bounds.as_of_date
    from months_filled
    cross join bounds
)

select * from final
