{#
    Family B customers: demographics with their bands, borrowing and
    repayment-behaviour features and the risk tier, all computed in
    int_customers_risk_tiered. No name: personal data stays in staging. The
    columns are listed on purpose (YAML meta bi_facing_mart_of): a column
    added upstream reaches BI only when added here, which keeps a name or
    other personal column out of the marts.
#}

with

customers as (
    select * from {{ ref('int_customers_risk_tiered') }}
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
        risk_tier,
        risk_reasons,
        is_high_loan_to_income,
        is_high_interest_rate,
        is_unemployed,
        has_defaulted_loan,
        has_behind_schedule_loan,
        -- measures
        age_years,
        annual_income_amount,
        risk_points,
        max_principal_amount,
        max_interest_rate_pct,
        max_loan_to_income_ratio,
        loans_count,
        active_loans_count,
        paid_loans_count,
        defaulted_loans_count,
        behind_schedule_loans_count,
        disbursed_amount,
        repaid_amount,
        outstanding_amount,
        active_outstanding_amount,
        repaid_share,
        active_schedule_paid_ratio,
        -- dates
        first_loan_start_date,
        last_loan_start_date
    from customers
)

select * from final
