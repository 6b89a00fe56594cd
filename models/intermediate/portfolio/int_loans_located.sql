{#
    The Family B loan book (int_loans_amortised) with each loan's branch
    and region: the input of the branch and region KPIs. A branch without a
    region is region 'Unknown'. The loan columns are listed again rather than
    taken as loans.* (as int_loans_tiered does): each intermediate names the
    columns its marts read (sqlfluff AM04), and a new loan column is added
    where a mart needs it.
#}

with

loans as (
    select * from {{ ref('int_loans_amortised') }}
),

branches as (
    select * from {{ ref('stg_family_b__branches') }}
),

final as (
    select
        -- ids
        loans.loan_id,
        loans.customer_id,
        loans.branch_id,
        -- dimensions
        branches.branch_name,
        branches.city,
        coalesce(branches.region, 'Unknown') as region,
        loans.loan_status,
        loans.is_active,
        loans.is_behind_schedule,
        loans.is_as_of_before_extract,
        -- measures
        loans.principal_amount,
        loans.interest_rate_pct,
        loans.term_months,
        loans.reported_paid_amount,
        loans.reported_outstanding_amount,
        loans.expected_paid_amount,
        loans.schedule_gap_amount,
        -- dates
        loans.start_date,
        loans.as_of_date
    from loans
    left join branches
        on loans.branch_id = branches.branch_id
)

select * from final
