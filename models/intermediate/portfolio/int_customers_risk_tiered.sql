{#
    Every Family B customer (with or without loans in the book) with their
    demographics, their borrowing and repayment features, and a risk tier
    (high / medium / low) from transparent rules over what was known when
    their loans were granted: loan size against income, the interest rate
    the lender priced, employment. Never the outcome the tier is judged by
    (a Defaulted status, a payment shortfall) nor a default rate measured on
    the same loans (segment rates): rule table in doc risk_tier_rules.
    The customer dimension reads everything here, in one place.
#}

{%- set points = var('risk_tier_points') -%}
{%- set min_points = var('risk_tier_min_points') -%}
{%- set loan_to_income_threshold = var('risk_loan_to_income_threshold') -%}
{%- set interest_rate_threshold = var('risk_interest_rate_threshold_pct') -%}
{%- set rules = [
    ['high_loan_to_income', 'is_high_loan_to_income', points.high_loan_to_income],
    ['high_interest_rate', 'is_high_interest_rate', points.high_interest_rate],
    ['unemployed', 'is_unemployed', points.unemployed],
] -%}
{%- set reasons = [] -%}
{%- set weighted_flags = [] -%}
{%- for code, flag, rule_points in rules -%}
    {%- do reasons.append([code, flag]) -%}
    {%- do weighted_flags.append(rule_points ~ ' * case when ' ~ flag ~ ' then 1 else 0 end') -%}
{%- endfor -%}

with

customers as (
    select * from {{ ref('int_customers_banded') }}
),

behaviour as (
    select * from {{ ref('int_customers_behaviour_summarised') }}
),

customers_with_behaviour as (
    select
        customers.*,
        behaviour.has_defaulted_loan,
        behaviour.has_behind_schedule_loan,
        behaviour.loans_count,
        behaviour.active_loans_count,
        behaviour.paid_loans_count,
        behaviour.defaulted_loans_count,
        behaviour.behind_schedule_loans_count,
        behaviour.disbursed_amount,
        behaviour.repaid_amount,
        behaviour.outstanding_amount,
        behaviour.active_outstanding_amount,
        behaviour.max_principal_amount,
        behaviour.max_interest_rate_pct,
        behaviour.repaid_share,
        behaviour.active_schedule_paid_ratio,
        behaviour.first_loan_start_date,
        behaviour.last_loan_start_date,
        {{ safe_divide('behaviour.max_principal_amount', 'customers.annual_income_amount') }}
            as max_loan_to_income_ratio
    from customers
    left join behaviour
        on customers.customer_id = behaviour.customer_id
),

rules_checked as (
    select
        *,
        coalesce(max_loan_to_income_ratio >= {{ loan_to_income_threshold }}, false)
            as is_high_loan_to_income,
        coalesce(max_interest_rate_pct >= {{ interest_rate_threshold }}, false)
            as is_high_interest_rate,
        coalesce(employment_status = 'Unemployed', false) as is_unemployed
    from customers_with_behaviour
),

scored as (
    select
        *,
        {{ weighted_flags | join(' + ') }} as risk_points
    from rules_checked
),

final as (
    select
        -- ids
        customer_id,
        -- dimensions
        age_band,
        age_band_order,
        gender,
        income_band,
        income_band_order,
        employment_status,
        case
            when risk_points >= {{ min_points.high }} then 'high'
            when risk_points >= {{ min_points.medium }} then 'medium'
            else 'low'
        end as risk_tier,
        {{ reason_codes(reasons) }} as risk_reasons,
        is_high_loan_to_income,
        is_high_interest_rate,
        is_unemployed,
        coalesce(has_defaulted_loan, false) as has_defaulted_loan,
        coalesce(has_behind_schedule_loan, false) as has_behind_schedule_loan,
        -- measures
        age_years,
        annual_income_amount,
        risk_points,
        max_principal_amount,
        max_interest_rate_pct,
        max_loan_to_income_ratio,
        coalesce(loans_count, 0) as loans_count,
        coalesce(active_loans_count, 0) as active_loans_count,
        coalesce(paid_loans_count, 0) as paid_loans_count,
        coalesce(defaulted_loans_count, 0) as defaulted_loans_count,
        coalesce(behind_schedule_loans_count, 0) as behind_schedule_loans_count,
        disbursed_amount,
        repaid_amount,
        outstanding_amount,
        active_outstanding_amount,
        repaid_share,
        active_schedule_paid_ratio,
        -- dates
        first_loan_start_date,
        last_loan_start_date
    from scored
)

select * from final
