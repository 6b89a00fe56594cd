with

branches as (
    select * from {{ ref('stg_family_b__branches') }}
),

final as (
    select
        -- ids
        branch_id,
        -- dimensions
        branch_name,
        city,
        region
    from branches
)

select * from final
