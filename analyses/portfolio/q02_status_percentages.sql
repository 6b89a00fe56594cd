-- Loan performance 2: what percentage of loans are active, defaulted or fully paid?
-- (active = In Progress + Approved; shares by count and by amount)
select
    case when is_active then 'Active' else loan_status end as status_group,
    sum(loans_count) as loans_count,
    round(100 * sum(loans_count_share), 2) as loans_pct,
    round(100 * sum(disbursed_amount_share), 2) as amount_pct
from {{ ref('rpt_portfolio_overview') }}
where not is_portfolio_total
group by case when is_active then 'Active' else loan_status end
order by loans_count desc
