with

plan_points as (
    select * from {{ ref('base_family_a__plan') }}
    where quarantine_reason is null
),

final as (
    select
        -- ids
        loan_id,
        -- measures
        planned_cumulative_amount,
        -- dates
        planned_date,
        -- metadata
        source_row_number
    from plan_points
)

select * from final
