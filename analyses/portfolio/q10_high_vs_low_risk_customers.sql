-- Loan segmentation 2: can we identify clusters of high-risk vs low-risk customers?
-- Transparent rule-based tiers from what was known at origination (rules in the
-- description of rpt_risk_tiers), how well they separate defaults (AUC, Gini), then
-- the demographic make-up of each tier.
select
    tiers.risk_tier,
    tiers.customers_count,
    round(100 * tiers.customers_share, 1) as customers_pct,
    round(100 * tiers.default_rate, 2) as observed_default_pct,
    round(tiers.tier_auc, 3) as tier_auc,
    round(tiers.tier_gini, 3) as tier_gini,
    tiers.active_outstanding_amount,
    round(avg(customers.age_years), 1) as avg_age_years,
    round(avg(customers.annual_income_amount), 0) as avg_income_amount,
    round(
        100.0 * count(case when customers.employment_status = 'Unemployed' then 1 end) / count(*),
        1
    ) as unemployed_pct
from {{ ref('rpt_risk_tiers') }} as tiers
inner join {{ ref('dim_customers') }} as customers
    on tiers.risk_tier = customers.risk_tier
group by
    tiers.risk_tier,
    tiers.risk_tier_order,
    tiers.customers_count,
    tiers.customers_share,
    tiers.default_rate,
    tiers.tier_auc,
    tiers.tier_gini,
    tiers.active_outstanding_amount
order by tiers.risk_tier_order asc
