{#
    Engineered repayment-behaviour features per Family B borrower, from
    their loans against the amortisation schedule (int_loans_amortised):
    the inputs of the risk tier and of the customer dimension.
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
        {{ safe_divide('repaid_amount', 'disbursed_amount') }} as repaid_share,
        {{ safe_divide('active_paid_amount', 'active_expected_paid_amount') }}
            as active_schedule_paid_ratio,
        -- dates
        first_loan_start_date,
        last_loan_start_date
    from summarised
)

select * from final
