{#
    How Family A loans moved between stages from the month-end before the
    as-of month (opening) to as_of_date (closing): loans and gross carrying
    amount at both dates per (from_stage, to_stage). A loan disbursed after
    the opening date comes from `new`; a loan active at the opening date and
    closed by as_of_date goes to `derecognised`. Every pair observed is a
    row.
#}

with

evaluation_dates as (
    select * from {{ ref('int_credit_loss_evaluation_dates') }}
),

expected_credit_losses as (
    select * from {{ ref('int_loan_expected_credit_losses') }}
),

closing_date as (
    select evaluation_date as as_of_date
    from evaluation_dates
    where is_as_of_date
),

opening_date as (
    select evaluation_date as opening_date
    from evaluation_dates
    where not is_as_of_date
),

closing_loans as (
    select expected_credit_losses.*
    from expected_credit_losses
    inner join closing_date
        on expected_credit_losses.evaluation_date = closing_date.as_of_date
),

opening_loans as (
    select expected_credit_losses.*
    from expected_credit_losses
    inner join opening_date
        on expected_credit_losses.evaluation_date = opening_date.opening_date
),

paired as (
    select
        coalesce('stage_' || cast(opening_loans.stage as {{ dbt.type_string() }}), 'new')
            as from_stage,
        coalesce(
            'stage_' || cast(closing_loans.stage as {{ dbt.type_string() }}), 'derecognised'
        ) as to_stage,
        coalesce(opening_loans.stage, 0) as from_stage_order,
        coalesce(closing_loans.stage, 4) as to_stage_order,
        coalesce(opening_loans.ead_amount, 0) as opening_carrying_amount,
        coalesce(closing_loans.ead_amount, 0) as closing_carrying_amount
    from opening_loans
    full outer join closing_loans
        on opening_loans.loan_id = closing_loans.loan_id
),

counted as (
    select
        from_stage,
        to_stage,
        from_stage_order,
        to_stage_order,
        count(*) as loans,
        sum(opening_carrying_amount) as opening_carrying_amount,
        sum(closing_carrying_amount) as closing_carrying_amount
    from paired
    group by from_stage, to_stage, from_stage_order, to_stage_order
),

final as (
    select
        -- dimensions
        counted.from_stage,
        counted.to_stage,
        counted.from_stage_order,
        counted.to_stage_order,
        -- measures
        cast(counted.loans as {{ dbt.type_bigint() }}) as loans,
        cast(counted.opening_carrying_amount as decimal(18, 2)) as opening_carrying_amount,
        cast(counted.closing_carrying_amount as decimal(18, 2)) as closing_carrying_amount,
        -- dates
        opening_date.opening_date,
        closing_date.as_of_date
    from counted
    cross join opening_date
    cross join closing_date
)

select * from final
