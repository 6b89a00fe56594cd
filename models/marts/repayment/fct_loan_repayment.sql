{#
    One row per disbursed Family A loan as of as_of_date: its state, segment,
    repayment score and tier, and its data-quality flags, as computed once by
    int_loans_repayment_scored (which fct_loans reads too: the two marts are
    siblings on the intermediate layer). The BI-facing mart of that
    intermediate (YAML meta bi_facing_mart_of): its column list repeats the
    intermediate's on purpose, as the published interface (sqlfluff AM04
    wants every mart's columns named; a column added upstream reaches BI
    only when added here).
#}

with

loans as (
    select * from {{ ref('int_loans_repayment_scored') }}
),

final as (
    select
        -- ids
        loan_id,
        -- dimensions
        loan_status,
        segment,
        dpd_bucket,
        score_tier,
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
        is_open_fully_paid,
        -- dates
        disbursed_date,
        closed_date,
        last_planned_date,
        first_paid_date,
        first_uncovered_planned_date,
        as_of_date
    from loans
)

select * from final
