{#
    Engineered features per Family B borrower, from their loans in the book
    (int_loans_amortised): what they borrowed and at what rate (known when
    the loans were granted: the risk tier's inputs) and how they repay
    against the amortisation schedule (descriptive features of the
    customer dimension; outcome-based, so never a risk-tier input).
#}

with

loans as (
    select * from {{ ref('int_loans_amortised') }}
),

summarised as (
    select
        customer_id,
        {{ loan_totals('reported_paid_amount', 'reported_outstanding_amount') }},
        count(case when is_active then 1 end) as active_loans_count,
        count(case when loan_status = 'Paid' then 1 end) as paid_loans_count,
        count(case when loan_status = 'Defaulted' then 1 end) as defaulted_loans_count,
        count(case when is_behind_schedule then 1 end) as behind_schedule_loans_count,
        sum(case when is_active then reported_outstanding_amount else 0 end)
            as active_outstanding_amount,
        sum(case when is_active then expected_paid_amount else 0 end)
            as active_expected_paid_amount,
        sum(case when is_active then reported_paid_amount else 0 end) as active_paid_amount,
        max(principal_amount) as max_principal_amount,
        max(interest_rate_pct) as max_interest_rate_pct,
        min(start_date) as first_loan_start_date,
        max(start_date) as last_loan_start_date
    from loans
    group by customer_id
),

final as (
    select
        -- ids
        customer_id,
        -- flags
        defaulted_loans_count > 0 as has_defaulted_loan,
        behind_schedule_loans_count > 0 as has_behind_schedule_loan,
        -- measures
        loans_count,
        active_loans_count,
        paid_loans_count,
        defaulted_loans_count,
        behind_schedule_loans_count,
        disbursed_amount,
        repaid_amount,
        outstanding_amount,
        active_outstanding_amount,
        max_principal_amount,
        max_interest_rate_pct,
        {{ safe_divide('repaid_amount', 'disbursed_amount') }} as repaid_share,
        {{ safe_divide('active_paid_amount', 'active_expected_paid_amount') }}
            as active_schedule_paid_ratio,
        -- dates
        first_loan_start_date,
        last_loan_start_date
    from summarised
)

select * from final
