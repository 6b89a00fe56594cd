with

customers as (
    select * from {{ ref('base_family_b__dim_customer') }}
    where quarantine_reason is null
),

final as (
    select
        -- ids
        customer_id,
        -- dimensions
        customer_name,
        age_years,
        gender,
        employment_status,
        -- measures
        annual_income_amount,
        -- metadata
        source_row_number
    from customers
)

select * from final
