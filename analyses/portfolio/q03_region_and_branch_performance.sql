-- Loan performance 3: how does loan performance differ across regions and branches?
select
    'region' as grouping_level,
    region as group_name,
    loans_count,
    disbursed_amount,
    round(100 * collection_rate, 2) as collection_pct,
    round(100 * default_rate, 2) as default_pct,
    round(100 * resolved_default_rate, 2) as resolved_default_pct,
    disbursed_amount_rank
from {{ ref('rpt_region_kpis') }}
union all
select
    'branch' as grouping_level,
    branch_name || ' (' || region || ')' as group_name,
    loans_count,
    disbursed_amount,
    round(100 * collection_rate, 2) as collection_pct,
    round(100 * default_rate, 2) as default_pct,
    round(100 * resolved_default_rate, 2) as resolved_default_pct,
    disbursed_amount_rank
from {{ ref('rpt_branch_kpis') }}
order by grouping_level desc, disbursed_amount_rank asc
