{#
    The status rows of rpt_portfolio_overview add up to its `All loans` row
    (loans, disbursed, repaid, outstanding) and their count shares to 1.
    Returns the total row when they do not.
#}

with

overview as (
    select * from {{ ref('rpt_portfolio_overview') }}
),

status_sums as (
    select
        sum(loans_count) as loans_count,
        sum(disbursed_amount) as disbursed_amount,
        sum(repaid_amount) as repaid_amount,
        sum(outstanding_amount) as outstanding_amount,
        sum(loans_count_share) as loans_count_share
    from overview
    where not is_portfolio_total
),

total as (
    select
        loans_count,
        disbursed_amount,
        repaid_amount,
        outstanding_amount
    from overview
    where is_portfolio_total
)

select total.*
from total
cross join status_sums
where
    total.loans_count <> status_sums.loans_count
    or total.disbursed_amount <> status_sums.disbursed_amount
    or total.repaid_amount <> status_sums.repaid_amount
    or total.outstanding_amount <> status_sums.outstanding_amount
    or abs(status_sums.loans_count_share - 1) > 0.000001
