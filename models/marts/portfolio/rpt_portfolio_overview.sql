{#
    The portfolio's totals and their status split: one row per loan status
    plus one portfolio total row (loan_status 'All loans'), so that a BI
    card and a status chart read the same table.
#}

with

loans as (
    select * from {{ ref('fct_loans') }}
    where source_feed = 'fact_loans'
),

by_status as (
    select
        loan_status,
        is_active,
        false as is_portfolio_total,
        {{ loan_totals() }},
        max(as_of_date) as as_of_date
    from loans
    group by loan_status, is_active
),

portfolio as (
    select
        'All loans' as loan_status,
        cast(null as boolean) as is_active,
        true as is_portfolio_total,
        {{ loan_totals() }},
        max(as_of_date) as as_of_date
    from loans
    having count(*) > 0
),

report_rows as (
    select * from portfolio
    union all
    select * from by_status
),

final as (
    select
        -- ids
        report_rows.loan_status,
        -- dimensions
        report_rows.is_portfolio_total,
        report_rows.is_active,
        -- measures
        report_rows.loans_count,
        report_rows.disbursed_amount,
        report_rows.repaid_amount,
        report_rows.outstanding_amount,
        {{ safe_divide('report_rows.repaid_amount', 'report_rows.disbursed_amount') }}
            as repaid_share,
        {{ safe_divide('report_rows.outstanding_amount', 'report_rows.disbursed_amount') }}
            as outstanding_share,
        {{ safe_divide('report_rows.loans_count', 'portfolio.loans_count') }}
            as loans_count_share,
        {{ safe_divide('report_rows.disbursed_amount', 'portfolio.disbursed_amount') }}
            as disbursed_amount_share,
        -- dates
        report_rows.as_of_date
    from report_rows
    cross join portfolio
)

select * from final
