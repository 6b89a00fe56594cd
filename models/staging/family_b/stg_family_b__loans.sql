with

loans as (
    select * from {{ ref('base_family_b__fact_loans') }}
    where quarantine_reason is null
),

final as (
    select
        -- ids
        loan_id,
        customer_id,
        branch_id,
        -- dimensions
        loan_status,
        -- measures
        principal_amount,
        interest_rate_pct,
        term_months,
        reported_paid_amount,
        reported_outstanding_amount,
        -- dates
        start_date,
        end_date,
        -- metadata
        source_row_number
    from loans
)

select * from final
