-- Branch-level insights 1: which branches have the highest outstanding balances or default rates?
select
    branch_name,
    region,
    outstanding_amount,
    outstanding_amount_rank,
    round(100 * default_rate, 2) as default_pct,
    default_rate_rank,
    round(100 * amount_default_rate, 2) as amount_default_pct,
    amount_default_rate_rank
from {{ ref('rpt_branch_kpis') }}
where outstanding_amount_rank <= 3 or default_rate_rank <= 3
order by outstanding_amount_rank asc
