{#
    The Family B loan book (int_loans_amortised) with each borrower's risk
    tier and profile (int_customers_risk_tiered): the input of the marts
    that judge loans by who holds them (risk tiers, status profiles,
    intervention list). Customer ids only, never names. The loan columns
    are int_loans_amortised's (loans.*), listed once there.
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
        -- every column of the loan book, then who holds the loan
        loans.*,
        loans.loan_status = 'Defaulted' as is_defaulted,
        customers.risk_tier,
        customers.employment_status,
        customers.risk_points,
        customers.age_years,
        customers.annual_income_amount
    from loans
    inner join customers
        on loans.customer_id = customers.customer_id
)

select * from final
