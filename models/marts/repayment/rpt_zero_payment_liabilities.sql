{#
    The "direct liabilities" of the LoanTrack360 analysis: active Family A
    loans with something due and nothing paid as of as_of_date, one row per
    loan, each carrying the portfolio totals (loans, exposure = their summed
    principal, and its share of the active principal).
#}

with

loans as (
    select * from {{ ref('fct_loan_repayment') }}
),

active_book as (
    select sum(principal_amount) as active_principal_amount
    from loans
    where is_active
),

zero_payment_loans as (
    select * from loans
    where is_zero_payment_open
),

final as (
    select
        -- ids
        zero_payment_loans.loan_id,
        -- dimensions
        zero_payment_loans.dpd_bucket,
        -- measures
        zero_payment_loans.principal_amount as exposure_amount,
        zero_payment_loans.planned_to_date_amount,
        zero_payment_loans.outstanding_amount,
        zero_payment_loans.days_past_due,
        count(*) over () as zero_payment_loans,
        sum(zero_payment_loans.principal_amount) over () as total_exposure_amount,
        {{ safe_divide(
            'sum(zero_payment_loans.principal_amount) over ()',
            'active_book.active_principal_amount'
        ) }} as share_of_active_principal,
        -- dates
        zero_payment_loans.disbursed_date,
        zero_payment_loans.as_of_date
    from zero_payment_loans
    cross join active_book
)

select * from final
