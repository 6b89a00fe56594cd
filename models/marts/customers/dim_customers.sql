{#
    Family B customers: demographics with their bands, repayment-behaviour
    features and risk tier. No name: personal data stays in staging.
#}

with

customers as (
    select * from {{ ref('int_customers_banded') }}
),

behaviour as (
    select * from {{ ref('int_customers_behaviour_summarised') }}
),

risk_tiers as (
    select * from {{ ref('int_customers_risk_tiered') }}
),

final as (
    select
        -- ids
        customers.customer_id,
        -- dimensions
        customers.age_band,
        customers.age_band_order,
        customers.gender,
        customers.income_band,
        customers.income_band_order,
        customers.employment_status,
        risk_tiers.risk_tier,
        risk_tiers.risk_reasons,
        risk_tiers.has_defaulted_loan,
        risk_tiers.has_behind_schedule_loan,
        risk_tiers.is_high_default_age_band,
        risk_tiers.is_high_default_income_band,
        risk_tiers.is_high_default_employment_status,
        -- measures
        customers.age_years,
        customers.annual_income_amount,
        risk_tiers.risk_points,
        risk_tiers.high_default_segments_count,
        coalesce(behaviour.loans_count, 0) as loans_count,
        coalesce(behaviour.active_loans_count, 0) as active_loans_count,
        coalesce(behaviour.paid_loans_count, 0) as paid_loans_count,
        coalesce(behaviour.defaulted_loans_count, 0) as defaulted_loans_count,
        coalesce(behaviour.behind_schedule_loans_count, 0) as behind_schedule_loans_count,
        behaviour.disbursed_amount,
        behaviour.repaid_amount,
        behaviour.outstanding_amount,
        behaviour.active_outstanding_amount,
        behaviour.repaid_share,
        behaviour.active_schedule_paid_ratio,
        -- dates
        behaviour.first_loan_start_date,
        behaviour.last_loan_start_date
    from customers
    inner join risk_tiers
        on customers.customer_id = risk_tiers.customer_id
    left join behaviour
        on customers.customer_id = behaviour.customer_id
)

select * from final
