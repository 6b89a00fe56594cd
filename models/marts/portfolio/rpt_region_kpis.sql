{#
    The loan-book KPIs of every region with loans in the book as of the
    Family B reporting date (loans started by then; status and amounts as at
    the extract). The region is the branch's ('Unknown' when it has none).
#}

with

loans as (
    select * from {{ ref('int_loans_located') }}
),

region_kpis as (
    select
        region,
        count(distinct branch_id) as branches_count,
        {{ loan_kpis() }}
    from loans
    group by region
),

final as (
    select
        *,
        {{ loan_kpi_ranks() }}
    from region_kpis
)

select * from final
