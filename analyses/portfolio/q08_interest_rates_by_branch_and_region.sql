-- Branch-level insights 2: how do average interest rates vary across branches or regions?
-- Plain and amount-weighted averages per branch, beside its region's.
select
    regions.region,
    round(regions.weighted_interest_rate_pct, 2) as region_weighted_rate_pct,
    regions.weighted_interest_rate_pct_rank as region_rate_rank,
    branches.branch_name,
    round(branches.avg_interest_rate_pct, 2) as branch_avg_rate_pct,
    round(branches.weighted_interest_rate_pct, 2) as branch_weighted_rate_pct,
    branches.weighted_interest_rate_pct_rank as branch_rate_rank
from {{ ref('rpt_branch_kpis') }} as branches
inner join {{ ref('rpt_region_kpis') }} as regions
    on branches.region = regions.region
order by branches.weighted_interest_rate_pct_rank asc
