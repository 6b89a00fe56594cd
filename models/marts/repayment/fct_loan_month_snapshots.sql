{#
    One row per Family A loan per reporting month while it is disbursed and
    not closed, observed at the month-end (the as-of month at as_of_date):
    the active rows of int_loan_months_snapshotted.
    Table, though it is a filter of that model: BI tools and the publish step
    read marts only, and loans x months is too many rows to recompute per query.
#}

with

loan_states as (
    select * from {{ ref('int_loan_months_snapshotted') }}
    where is_active
),

final as (
    select
        -- ids
        loan_id,
        -- dimensions
        reporting_month,
        disbursal_month,
        months_on_book,
        dpd_bucket,
        -- measures
        principal_amount,
        planned_to_date_amount,
        paid_to_date_amount,
        payment_gap_amount,
        arrears_amount,
        paid_ratio,
        days_past_due,
        max_days_past_due,
        outstanding_amount,
        principal_outstanding_amount,
        payments_count,
        -- flags
        is_in_arrears,
        is_in_arrears_at_zero_dpd,
        is_zero_payment_open,
        is_month_to_date,
        -- dates
        snapshot_date,
        disbursed_date
    from loan_states
)

select * from final
