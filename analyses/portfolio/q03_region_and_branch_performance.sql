-- Loan performance 3: how does loan performance differ across regions and branches?
-- One row per branch, beside its region's figures and both ranks.
select
    regions.region,
    regions.disbursed_amount_rank as region_disbursed_rank,
    round(100 * regions.collection_rate, 2) as region_collection_pct,
    round(100 * regions.default_rate, 2) as region_default_pct,
    branches.branch_name,
    branches.disbursed_amount_rank as branch_disbursed_rank,
    branches.loans_count,
    branches.disbursed_amount,
    round(100 * branches.collection_rate, 2) as branch_collection_pct,
    round(100 * branches.default_rate, 2) as branch_default_pct,
    round(100 * branches.resolved_default_rate, 2) as branch_resolved_default_pct
from {{ ref('rpt_branch_kpis') }} as branches
inner join {{ ref('rpt_region_kpis') }} as regions
    on branches.region = regions.region
order by regions.disbursed_amount_rank asc, branches.disbursed_amount_rank asc
