with

payments as (
    select * from {{ ref('base_family_a__payments') }}
    where quarantine_reason is null
),

final as (
    select
        -- ids
        loan_id,
        -- measures
        paid_amount,
        -- dates
        paid_at,
        cast(paid_at as date) as paid_date,
        -- metadata
        source_row_number
    from payments
)

select * from final
