with

orders as (
    select * from {{ ref('base_family_a__orders') }}
    where quarantine_reason is null
),

final as (
    select
        -- ids
        loan_id,
        -- measures
        principal_amount,
        -- dates
        created_at,
        disbursed_at,
        closed_at,
        cast(created_at as date) as created_date,
        cast(disbursed_at as date) as disbursed_date,
        cast(closed_at as date) as closed_date,
        -- metadata
        source_row_number
    from orders
)

select * from final
