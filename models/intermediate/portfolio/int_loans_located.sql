{#
    The Family B loan book (int_loans_amortised) with each loan's branch
    and region: the input of the branch and region KPIs. A branch without a
    region is region 'Unknown'. The loan columns are int_loans_amortised's
    (loans.*), listed once there.
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
        -- every column of the loan book, then where the loan is booked
        loans.*,
        branches.branch_name,
        branches.city,
        coalesce(branches.region, 'Unknown') as region
    from loans
    left join branches
        on loans.branch_id = branches.branch_id
)

select * from final
