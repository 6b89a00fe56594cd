with

branches as (
    select * from {{ ref('base_family_b__dim_branch') }}
    where quarantine_reason is null
),

final as (
    select
        -- ids
        branch_id,
        -- dimensions
        branch_name,
        city,
        region,
        -- metadata
        source_row_number
    from branches
)

select * from final
