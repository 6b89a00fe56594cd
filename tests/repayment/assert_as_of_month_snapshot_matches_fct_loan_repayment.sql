{#
    When as_of_date is a month-end, the month snapshot of that month and the
    as-of mart describe the same loans at the same date, so they must agree
    loan by loan: the same active loans, DPD, worst DPD, bucket, planned and
    paid to date and outstanding. Returns the loans where they differ.
#}

with

as_of_loans as (
    select * from {{ ref('fct_loan_repayment') }}
    where
        is_active
        and as_of_date = {{ dbt.last_day('as_of_date', 'month') }}
),

month_end_as_of_dates as (
    select distinct as_of_date from as_of_loans
),

as_of_month_snapshots as (
    select snapshots.*
    from {{ ref('fct_loan_month_snapshots') }} as snapshots
    inner join month_end_as_of_dates
        on snapshots.snapshot_date = month_end_as_of_dates.as_of_date
),

compared as (
    select
        coalesce(as_of_loans.loan_id, as_of_month_snapshots.loan_id) as loan_id,
        as_of_loans.loan_id is null as is_missing_from_fct,
        as_of_month_snapshots.loan_id is null as is_missing_from_snapshots,
        as_of_loans.days_past_due as fct_days_past_due,
        as_of_month_snapshots.days_past_due as snapshot_days_past_due
    from as_of_loans
    full outer join as_of_month_snapshots
        on
            as_of_loans.loan_id = as_of_month_snapshots.loan_id
            and as_of_loans.days_past_due = as_of_month_snapshots.days_past_due
            and as_of_loans.max_days_past_due = as_of_month_snapshots.max_days_past_due
            and as_of_loans.dpd_bucket = as_of_month_snapshots.dpd_bucket
            and as_of_loans.planned_to_date_amount = as_of_month_snapshots.planned_to_date_amount
            and as_of_loans.paid_to_date_amount = as_of_month_snapshots.paid_to_date_amount
            and as_of_loans.outstanding_amount = as_of_month_snapshots.outstanding_amount
)

select * from compared
where is_missing_from_fct or is_missing_from_snapshots
