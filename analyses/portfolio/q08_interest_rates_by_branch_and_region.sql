-- Branch-level insights 2: how do average interest rates vary across branches or regions?
select
    'region' as grouping_level,
    region as group_name,
    round(avg_interest_rate_pct, 2) as avg_interest_rate_pct,
    round(weighted_interest_rate_pct, 2) as weighted_interest_rate_pct,
    weighted_interest_rate_pct_rank
from {{ ref('rpt_region_kpis') }}
union all
select
    'branch' as grouping_level,
    branch_name as group_name,
    round(avg_interest_rate_pct, 2) as avg_interest_rate_pct,
    round(weighted_interest_rate_pct, 2) as weighted_interest_rate_pct,
    weighted_interest_rate_pct_rank
from {{ ref('rpt_branch_kpis') }}
order by grouping_level desc, weighted_interest_rate_pct_rank asc
