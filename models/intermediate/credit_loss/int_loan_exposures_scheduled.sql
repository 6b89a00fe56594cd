{#
    The exposure-at-default schedule of each active Family A loan at each
    evaluation date d, as steps. EAD at d = principal outstanding at d.
    Future month t = 1 .. H ends at month-end t (the last day of the t-th
    calendar month after d's month; month-end 0 is d):
    EAD_t = EAD x remaining_schedule(month-end t-1) / remaining_schedule(d),
    remaining_schedule(x) = scheduled total - planned to date at x; when
    remaining_schedule(d) = 0 (past maturity) EAD_t = EAD.

    An instalment due after d is still in remaining_schedule(month-end t-1)
    exactly for t = 1 .. max(1, calendar months from d's month to its due
    month), so EAD_t is a step function: one row per step
    [first_month, last_month] (last_month capped at var
    ecl_max_horizon_months), instead of one row per month. A past-maturity
    loan has one step, 1 .. ecl_max_horizon_months, at EAD. Also the loan's
    remaining term R (uncapped).
#}

{%- set max_horizon = var('ecl_max_horizon_months') %}

with

evaluation_dates as (
    select * from {{ ref('int_credit_loss_evaluation_dates') }}
),

loan_months as (
    select * from {{ ref('int_loan_months_snapshotted') }}
),

instalments as (
    select * from {{ ref('int_loan_instalments_scheduled') }}
),

loans_at_date as (
    select
        evaluation_dates.evaluation_date,
        evaluation_dates.evaluation_month,
        loan_months.loan_id,
        loan_months.principal_outstanding_amount as ead_amount,
        loan_months.scheduled_total_amount - loan_months.planned_to_date_amount
            as remaining_schedule_amount
    from evaluation_dates
    inner join loan_months
        on evaluation_dates.evaluation_date = loan_months.snapshot_date
    where loan_months.is_active
),

last_due_dates as (
    select
        loan_id,
        max(planned_date) as last_planned_date
    from instalments
    group by loan_id
),

remaining_terms as (
    select
        loans_at_date.*,
        last_due_dates.last_planned_date,
        greatest(
            coalesce(
                {{ dbt.datediff(
                    'loans_at_date.evaluation_month',
                    dbt.date_trunc('month', 'last_due_dates.last_planned_date'),
                    'month'
                ) }}, 1
            ),
            1
        ) as remaining_term_months
    from loans_at_date
    left join last_due_dates
        on loans_at_date.loan_id = last_due_dates.loan_id
),

{# The instalments still due after d and the last month t they count in. #}
instalments_ahead as (
    select
        loans_at_date.evaluation_date,
        loans_at_date.loan_id,
        least(
            greatest(
                {{ dbt.datediff(
                    'loans_at_date.evaluation_month',
                    dbt.date_trunc('month', 'instalments.planned_date'),
                    'month'
                ) }}, 1
            ),
            {{ max_horizon }}
        ) as last_month,
        instalments.instalment_amount
    from loans_at_date
    inner join instalments
        on
            loans_at_date.loan_id = instalments.loan_id
            and loans_at_date.evaluation_date < instalments.planned_date
    where loans_at_date.remaining_schedule_amount > 0
),

steps_ending as (
    select
        evaluation_date,
        loan_id,
        last_month,
        sum(instalment_amount) as ending_amount
    from instalments_ahead
    group by evaluation_date, loan_id, last_month
),

{# The schedule still remaining in a step = what ends in it or later. #}
steps as (
    select
        evaluation_date,
        loan_id,
        coalesce(
            lag(last_month) over (
                partition by evaluation_date, loan_id
                order by last_month
            ) + 1,
            1
        ) as first_month,
        last_month,
        sum(ending_amount) over (
            partition by evaluation_date, loan_id
            order by last_month desc
            rows between unbounded preceding and current row
        ) as step_schedule_amount
    from steps_ending
),

exposures as (
    select
        remaining_terms.evaluation_date,
        remaining_terms.loan_id,
        remaining_terms.ead_amount,
        remaining_terms.remaining_schedule_amount,
        remaining_terms.remaining_term_months,
        remaining_terms.last_planned_date,
        steps.first_month,
        steps.last_month,
        cast(
            remaining_terms.ead_amount as {{ type_double() }}
        ) * steps.step_schedule_amount / remaining_terms.remaining_schedule_amount
            as step_ead_amount
    from remaining_terms
    inner join steps
        on
            remaining_terms.evaluation_date = steps.evaluation_date
            and remaining_terms.loan_id = steps.loan_id
    where remaining_terms.remaining_schedule_amount > 0
    union all
    select
        evaluation_date,
        loan_id,
        ead_amount,
        remaining_schedule_amount,
        remaining_term_months,
        last_planned_date,
        1 as first_month,
        {{ max_horizon }} as last_month,
        cast(ead_amount as {{ type_double() }}) as step_ead_amount
    from remaining_terms
    where remaining_schedule_amount <= 0
),

final as (
    select
        -- ids
        loan_id,
        -- measures
        first_month,
        last_month,
        step_ead_amount,
        ead_amount,
        remaining_schedule_amount,
        remaining_term_months,
        -- dates
        evaluation_date,
        last_planned_date
    from exposures
)

select * from final
