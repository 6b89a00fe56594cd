{#
    Who holds Paid, Defaulted, In Progress and Approved loans: the borrower
    profile of each loan status, plus the whole portfolio as a baseline.
    Loan-weighted: a borrower with two Paid loans counts twice for Paid.
    Loans of the Family B book as of its reporting date, by their status as
    at the extract. The employment categories are those of the input
    contract (docs/input_contract.md); any other or unknown value is counted
    in other_employment_share.
#}

{%- set employment_statuses = {
    'employed': 'Employed',
    'self_employed': 'Self-Employed',
    'unemployed': 'Unemployed',
    'retired': 'Retired',
} -%}

with

loans as (
    select * from {{ ref('int_loans_tiered') }}
),

loans_with_borrowers as (
    select
        loan_status,
        customer_id,
        principal_amount,
        interest_rate_pct,
        term_months,
        age_years,
        annual_income_amount,
        employment_status
    from loans
),

loans_and_baseline as (
    {#- every loan once under its status, once more under the portfolio baseline #}
    select * from loans_with_borrowers
    union all
    select
        'All loans' as loan_status,
        customer_id,
        principal_amount,
        interest_rate_pct,
        term_months,
        age_years,
        annual_income_amount,
        employment_status
    from loans_with_borrowers
),

profiles as (
    select
        loan_status,
        count(*) as loans_count,
        count(distinct customer_id) as borrowers_count,
        {{ average('age_years') }} as avg_age_years,
        {{ median('annual_income_amount') }} as median_income_amount,
        {{ average('annual_income_amount') }} as avg_income_amount,
        {{ average('principal_amount') }} as avg_loan_amount,
        {{ average('interest_rate_pct') }} as avg_interest_rate_pct,
        {{ average('term_months') }} as avg_term_months,
        {%- for column, status in employment_statuses.items() %}
            {{ safe_divide(
                "count(case when employment_status = '" ~ status ~ "' then 1 end)",
                'count(*)'
            ) }} as {{ column }}_share,
        {%- endfor %}
        {{ safe_divide(
            "count(case when employment_status is null or employment_status not in ('"
            ~ employment_statuses.values() | join("', '") ~ "') then 1 end)",
            'count(*)'
        ) }} as other_employment_share
    from loans_and_baseline
    group by loan_status
),

final as (
    select
        -- ids
        loan_status,
        -- dimensions
        loan_status = 'All loans' as is_portfolio_total,
        -- measures
        loans_count,
        borrowers_count,
        avg_age_years,
        median_income_amount,
        avg_income_amount,
        avg_loan_amount,
        avg_interest_rate_pct,
        avg_term_months,
        {%- for column in employment_statuses %}
            {{ column }}_share,
        {%- endfor %}
        other_employment_share
    from profiles
)

select * from final
