{#
    Each Family A loan's allowance at the opening date (the month-end before
    the as-of month) beside its allowance at as_of_date: stage, gross
    carrying amount (EAD) and allowance booked at both dates, null at a date
    where the loan was not active (new since the opening date, or closed
    since: derecognised). The one home of the pairing that the stage
    migration and the allowance movement both read.
#}

with

evaluation_dates as (
    select * from {{ ref('int_credit_loss_evaluation_dates') }}
),

expected_credit_losses as (
    select * from {{ ref('int_loan_expected_credit_losses') }}
),

opening_loans as (
    select * from expected_credit_losses
    where not is_as_of_date
),

closing_loans as (
    select * from expected_credit_losses
    where is_as_of_date
),

paired as (
    select
        coalesce(opening_loans.loan_id, closing_loans.loan_id) as loan_id,
        opening_loans.stage as opening_stage,
        closing_loans.stage as closing_stage,
        opening_loans.ead_amount as opening_carrying_amount,
        closing_loans.ead_amount as closing_carrying_amount,
        opening_loans.allowance_amount as opening_allowance_amount,
        closing_loans.allowance_amount as closing_allowance_amount
    from opening_loans
    full outer join closing_loans
        on opening_loans.loan_id = closing_loans.loan_id
),

dates as (
    select
        max(case when not is_as_of_date then evaluation_date end) as opening_date,
        max(case when is_as_of_date then evaluation_date end) as as_of_date
    from evaluation_dates
),

final as (
    select
        -- ids
        paired.loan_id,
        -- dimensions
        paired.opening_stage,
        paired.closing_stage,
        -- measures
        paired.opening_carrying_amount,
        paired.closing_carrying_amount,
        paired.opening_allowance_amount,
        paired.closing_allowance_amount,
        -- flags
        paired.opening_stage is null as is_new,
        paired.closing_stage is null as is_derecognised,
        -- dates
        dates.opening_date,
        dates.as_of_date
    from paired
    cross join dates
)

select * from final
