{#
    One row per disbursed Family A loan as of as_of_date: its state (from
    int_loan_months_snapshotted, the as-of row), its segment, repayment score
    and tier, and its data-quality flags. The one home of the per-loan as-of
    repayment state: the repayment mart fct_loan_repayment, the unified
    fct_loans (marts/core) and the data-quality summary all read it, as
    siblings. Table: read by three models.
#}

{%- set segment_tolerance = var('segment_tolerance') %}

with

loan_states as (
    select * from {{ ref('int_loan_months_snapshotted') }}
    where is_as_of_date
),

loans as (
    select * from {{ ref('int_loans_disbursed') }}
),

scored as (
    select
        loan_states.*,
        loans.term_days,
        loans.scheduled_instalments_count,
        loans.has_no_schedule,
        loans.has_plan_step_down,
        loans.has_schedule_below_principal,
        loans.has_payment_before_disbursal,
        loans.last_planned_date,
        case
            when loans.first_paid_date <= loan_states.snapshot_date then loans.first_paid_date
        end as first_paid_date,
        case
            when loan_states.planned_to_date_amount = 0 then 'Not Yet Due'
            when loan_states.paid_ratio < 1 - {{ segment_tolerance }} then 'Underpaid'
            when loan_states.paid_ratio > 1 + {{ segment_tolerance }} then 'Overpaid'
            else 'On Track'
        end as segment,
        {{ repayment_score(
            'loan_states.paid_ratio', 'loan_states.days_past_due', 'loan_states.max_days_past_due'
        ) }} as repayment_score
    from loan_states
    inner join loans
        on loan_states.loan_id = loans.loan_id
),

final as (
    select
        -- ids
        loan_id,
        -- dimensions
        loan_status,
        segment,
        dpd_bucket,
        {{ score_tier('repayment_score') }} as score_tier,
        disbursal_month,
        -- measures
        principal_amount,
        term_days,
        scheduled_instalments_count,
        scheduled_total_amount,
        planned_to_date_amount,
        paid_to_date_amount,
        payment_gap_amount,
        arrears_amount,
        delta_amount,
        paid_ratio,
        days_past_due,
        max_days_past_due,
        outstanding_amount,
        principal_outstanding_amount,
        repayment_score,
        payments_count,
        payment_days_count,
        instalments_due_count,
        instalments_covered_count,
        -- flags
        is_active,
        is_closed,
        is_in_arrears,
        is_in_arrears_at_zero_dpd,
        is_zero_payment_open,
        has_plan_step_down,
        has_schedule_below_principal,
        has_payment_before_disbursal,
        is_closed_with_shortfall,
        has_no_schedule,
        is_active and instalments_covered_count = scheduled_instalments_count
        and not has_no_schedule as is_open_fully_paid,
        -- dates
        disbursed_date,
        closed_date,
        last_planned_date,
        first_paid_date,
        first_uncovered_planned_date,
        snapshot_date as as_of_date
    from scored
)

select * from final
