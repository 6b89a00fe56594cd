{#
    Active Family B loans that need a call: behind their amortisation
    schedule, or held by a high-risk-tier customer. Ranked by outstanding
    balance x the customer's risk points. Customer ids only, never names.
#}

with

loans as (
    select * from {{ ref('fct_loans') }}
    where source_feed = 'fact_loans'
),

customers as (
    select * from {{ ref('dim_customers') }}
),

candidates as (
    select
        loans.loan_id,
        loans.customer_id,
        loans.branch_id,
        loans.loan_status,
        customers.risk_tier,
        customers.risk_points,
        coalesce(loans.is_behind_schedule, false) as is_behind_schedule,
        customers.risk_tier = 'high' as is_high_risk_tier,
        loans.principal_amount,
        loans.paid_to_date_amount,
        loans.expected_paid_amount,
        loans.schedule_gap_amount,
        loans.outstanding_amount,
        loans.outstanding_amount * customers.risk_points as risk_weighted_outstanding_amount,
        loans.start_date,
        loans.as_of_date
    from loans
    inner join customers
        on loans.customer_id = customers.customer_id
    where
        loans.is_active
        and (loans.is_behind_schedule or customers.risk_tier = 'high')
),

final as (
    select
        -- ids
        loan_id,
        customer_id,
        branch_id,
        -- dimensions
        row_number() over (
            order by risk_weighted_outstanding_amount desc, outstanding_amount desc, loan_id asc
        ) as priority_rank,
        {{ reason_codes([
            ['behind_schedule', 'is_behind_schedule'],
            ['high_risk_tier', 'is_high_risk_tier'],
        ]) }} as reason_codes,
        loan_status,
        risk_tier,
        is_behind_schedule,
        is_high_risk_tier,
        -- measures
        risk_points,
        principal_amount,
        paid_to_date_amount,
        expected_paid_amount,
        schedule_gap_amount,
        outstanding_amount,
        risk_weighted_outstanding_amount,
        -- dates
        start_date,
        as_of_date
    from candidates
)

select * from final
