{#
    The loan book's totals and their status split as of the Family B
    reporting date (loans started by then; status and amounts as at the
    extract, doc family_b_as_of_meaning): one row per loan status plus one
    portfolio total row (loan_status 'All loans'), so that a BI card and a
    status chart read the same table. No row when the book is empty.
#}

with

loans as (
    select * from {{ ref('int_loans_amortised') }}
),

by_status as (
    select
        loan_status,
        is_active,
        false as is_portfolio_total,
        {{ loan_totals() }},
        max(case when is_as_of_before_extract then 1 else 0 end) = 1 as is_as_of_before_extract,
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
        max(case when is_as_of_before_extract then 1 else 0 end) = 1 as is_as_of_before_extract,
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
        report_rows.is_as_of_before_extract,
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
