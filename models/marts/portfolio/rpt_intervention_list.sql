{#
    Active Family B loans of the book that need a call: behind their
    amortisation schedule, or held by a high-risk-tier customer. Ranked by
    outstanding balance x the customer's risk points. Customer ids only,
    never names. Status and balance are those of the extract.
#}

with

loans as (
    select * from {{ ref('int_loans_tiered') }}
),

candidates as (
    select
        cast(loan_id as {{ dbt.type_string() }}) as loan_id,
        customer_id,
        branch_id,
        loan_status,
        risk_tier,
        risk_points,
        coalesce(is_behind_schedule, false) as is_behind_schedule,
        risk_tier = 'high' as is_high_risk_tier,
        is_as_of_before_extract,
        principal_amount,
        reported_paid_amount as paid_to_date_amount,
        expected_paid_amount,
        schedule_gap_amount,
        reported_outstanding_amount as outstanding_amount,
        reported_outstanding_amount * risk_points as risk_weighted_outstanding_amount,
        start_date,
        as_of_date
    from loans
    where
        is_active
        and (is_behind_schedule or risk_tier = 'high')
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
        is_as_of_before_extract,
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
