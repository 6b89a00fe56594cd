-- Predictive metrics 2: which customer profiles are likely to need intervention or support?
-- The intervention list (active loans behind schedule or held by a high-tier customer),
-- summarised by borrower profile; customer ids only.
select
    customers.employment_status,
    customers.age_band,
    customers.income_band,
    count(*) as loans_to_review,
    count(distinct interventions.customer_id) as customers_to_review,
    sum(interventions.outstanding_amount) as outstanding_amount,
    sum(interventions.risk_weighted_outstanding_amount) as risk_weighted_outstanding_amount,
    min(interventions.priority_rank) as top_priority_rank
from {{ ref('rpt_intervention_list') }} as interventions
inner join {{ ref('dim_customers') }} as customers
    on interventions.customer_id = customers.customer_id
group by
    customers.employment_status,
    customers.age_band,
    customers.income_band
order by risk_weighted_outstanding_amount desc
limit 20
