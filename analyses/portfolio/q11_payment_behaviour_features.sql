-- Predictive metrics 1: can we engineer features like payment behaviour or risk level?
-- The per-customer features of dim_customers, and how each relates to the risk tier.
select
    risk_tier,
    count(*) as customers_count,
    round(avg(loans_count), 2) as avg_loans_count,
    round(avg(repaid_share), 3) as avg_repaid_share,
    round(avg(active_schedule_paid_ratio), 3) as avg_active_schedule_paid_ratio,
    round(avg(behind_schedule_loans_count), 2) as avg_behind_schedule_loans,
    round(avg(max_loan_to_income_ratio), 3) as avg_max_loan_to_income_ratio,
    round(avg(max_interest_rate_pct), 2) as avg_max_interest_rate_pct,
    round(avg(risk_points), 2) as avg_risk_points
from {{ ref('dim_customers') }}
group by risk_tier
order by avg_risk_points desc
