{#
    The Family B loan book (int_loans_amortised) with each borrower's risk
    tier and profile (int_customers_risk_tiered): the input of the marts
    that judge loans by who holds them (risk tiers, status profiles,
    intervention list). Customer ids only, never names. The loan columns are
    listed again rather than taken as loans.* (as int_loans_located does):
    each intermediate names the columns its marts read (sqlfluff AM04). The
    two are not merged into one: the branch KPIs need no borrower, and the
    tiered marts no branch.
#}

with

loans as (
    select * from {{ ref('int_loans_amortised') }}
),

customers as (
    select * from {{ ref('int_customers_risk_tiered') }}
),

final as (
    select
        -- ids
        loans.loan_id,
        loans.customer_id,
        loans.branch_id,
        -- dimensions
        loans.loan_status,
        loans.is_active,
        loans.is_behind_schedule,
        loans.is_as_of_before_extract,
        loans.loan_status = 'Defaulted' as is_defaulted,
        customers.risk_tier,
        customers.employment_status,
        -- measures
        customers.risk_points,
        customers.age_years,
        customers.annual_income_amount,
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
    inner join customers
        on loans.customer_id = customers.customer_id
)

select * from final
