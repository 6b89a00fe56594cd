with

loans as (
    select * from {{ ref('fct_loans') }}
    where source_feed = 'fact_loans'
),

branches as (
    select * from {{ ref('dim_branches') }}
),

loans_with_regions as (
    select
        loans.*,
        coalesce(branches.region, 'Unknown') as region
    from loans
    inner join branches
        on loans.branch_id = branches.branch_id
),

region_kpis as (
    select
        region,
        count(distinct branch_id) as branches_count,
        {{ loan_kpis() }}
    from loans_with_regions
    group by region
),

final as (
    select
        *,
        {{ loan_kpi_ranks() }}
    from region_kpis
)

select * from final
