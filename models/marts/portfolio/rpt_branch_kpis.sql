{#
    The loan-book KPIs of every branch as of the Family B reporting date
    (loans started by then; status and amounts as at the extract). A branch
    without loans in the book is listed with zero loans and null rates.
#}

with

loans as (
    select * from {{ ref('int_loans_located') }}
),

branches as (
    select * from {{ ref('dim_branches') }}
),

branch_kpis as (
    select
        branch_id,
        {{ loan_kpis() }}
    from loans
    group by branch_id
),

branches_with_kpis as (
    select
        branches.branch_id,
        branches.branch_name,
        branches.city,
        branches.region,
        coalesce(branch_kpis.loans_count, 0) as loans_count,
        coalesce(branch_kpis.active_loans_count, 0) as active_loans_count,
        coalesce(branch_kpis.behind_schedule_loans_count, 0) as behind_schedule_loans_count,
        branch_kpis.behind_schedule_share,
        branch_kpis.disbursed_amount,
        branch_kpis.repaid_amount,
        branch_kpis.outstanding_amount,
        branch_kpis.default_rate,
        branch_kpis.resolved_default_rate,
        branch_kpis.amount_default_rate,
        branch_kpis.avg_interest_rate_pct,
        branch_kpis.weighted_interest_rate_pct,
        branch_kpis.avg_loan_amount,
        branch_kpis.collection_rate
    from branches
    left join branch_kpis
        on branches.branch_id = branch_kpis.branch_id
),

final as (
    select
        *,
        {{ loan_kpi_ranks() }}
    from branches_with_kpis
)

select * from final
