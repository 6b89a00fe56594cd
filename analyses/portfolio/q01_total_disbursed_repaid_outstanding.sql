-- Loan performance 1: what is the total loan amount disbursed, repaid and outstanding?
select
    disbursed_amount,
    repaid_amount,
    outstanding_amount,
    round(100 * repaid_share, 2) as repaid_pct,
    round(100 * outstanding_share, 2) as outstanding_pct,
    as_of_date
from {{ ref('rpt_portfolio_overview') }}
where is_portfolio_total
