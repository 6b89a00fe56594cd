{#
    One row per Family A loan active at a reporting month's snapshot (the
    month-ends, and the as-of month at as_of_date): what was known about it
    then (the learned default model's features, the repayment score and its
    tier) and what happened at the next three month-ends (the outcome).

    Features read only the snapshot row itself and the loan's contract
    (principal, term): int_loan_months_snapshotted looks payments, coverage
    and the schedule up as of snapshot_date, so nothing after it enters.
    instalments_covered_late_count counts instalments covered after their due
    date, on or before snapshot_date.

    Outcome: reaches_dpd_over_30 / reaches_dpd_over_90 = days past due above
    30 / 90 at any of the next three month-end snapshots (a loan that closes
    meanwhile is 0 days past due from its closing). It is observed only when
    those three snapshots are all month-ends on or before as_of_date
    (is_outcome_observed); otherwise both are null. Nothing after as_of_date
    exists in int_loan_months_snapshotted, so nothing after it can reach a
    label either.
#}

with

loan_months as (
    select * from {{ ref('int_loan_months_snapshotted') }}
    where is_active
),

reporting_months as (
    select * from {{ ref('int_reporting_months_listed') }}
),

loans as (
    select * from {{ ref('int_loans_disbursed') }}
),

instalments as (
    select * from {{ ref('int_loan_instalments_covered') }}
),

last_month_end as (
    select max(reporting_month) as last_month_end_month
    from reporting_months
    where not is_month_to_date
),

{# Instalments covered late, counted in the reporting month of their cover. #}
late_covers as (
    select
        loan_id,
        covered_date,
        {{ dbt.date_trunc('month', 'covered_date') }} as covered_month
    from instalments
    where covered_date is not null and days_late_when_covered > 0
),

{#
    Per loan and reporting month, on or before the month's snapshot date (the
    calendar's, which every loan month shares): joined to the few calendar
    rows, not to every loan month (that join read the 4.6M loan months of a
    1M-loan book a second time).
#}
late_covers_by_month as (
    select
        late_covers.loan_id,
        reporting_months.reporting_month,
        count(*) as instalments_covered_late_in_month_count
    from late_covers
    inner join reporting_months
        on
            late_covers.covered_month = reporting_months.reporting_month
            and late_covers.covered_date <= reporting_months.snapshot_date
    group by late_covers.loan_id, reporting_months.reporting_month
),

{# The outcome: the loan's next three active months (0 days past due once closed). #}
with_next as (
    select
        loan_months.*,
        sum(coalesce(late_covers_by_month.instalments_covered_late_in_month_count, 0)) over (
            partition by loan_months.loan_id
            order by loan_months.reporting_month
            rows between unbounded preceding and current row
        ) as instalments_covered_late_count,
        lead(loan_months.days_past_due, 1, 0) over (
            partition by loan_months.loan_id order by loan_months.reporting_month
        ) as next_1_days_past_due,
        lead(loan_months.days_past_due, 2, 0) over (
            partition by loan_months.loan_id order by loan_months.reporting_month
        ) as next_2_days_past_due,
        lead(loan_months.days_past_due, 3, 0) over (
            partition by loan_months.loan_id order by loan_months.reporting_month
        ) as next_3_days_past_due
    from loan_months
    left join late_covers_by_month
        on
            loan_months.loan_id = late_covers_by_month.loan_id
            and loan_months.reporting_month = late_covers_by_month.reporting_month
),

observed as (
    select
        with_next.*,
        coalesce(
            cast({{ dbt.dateadd('month', 3, 'with_next.reporting_month') }} as date)
            <= last_month_end.last_month_end_month,
            false
        ) as is_outcome_observed,
        greatest(
            with_next.next_1_days_past_due,
            with_next.next_2_days_past_due,
            with_next.next_3_days_past_due
        )
            as next_3_worst_days_past_due
    from with_next
    cross join last_month_end
),

final as (
    select
        -- ids
        observed.loan_id,
        -- dimensions
        observed.reporting_month,
        {{ score_tier(repayment_score(
            'observed.paid_ratio', 'observed.days_past_due', 'observed.max_days_past_due'
        )) }} as score_tier,
        -- measures (the learned model's features)
        observed.paid_ratio,
        observed.days_past_due,
        observed.max_days_past_due,
        observed.instalments_covered_late_count,
        observed.payments_count,
        observed.principal_amount,
        loans.term_days,
        observed.months_on_book,
        -- measures
        observed.outstanding_amount,
        {{ repayment_score(
            'observed.paid_ratio', 'observed.days_past_due', 'observed.max_days_past_due'
        ) }} as repayment_score,
        -- flags
        observed.is_outcome_observed,
        case
            when observed.is_outcome_observed then observed.next_3_worst_days_past_due > 30
        end as reaches_dpd_over_30,
        case
            when observed.is_outcome_observed then observed.next_3_worst_days_past_due > 90
        end as reaches_dpd_over_90,
        observed.is_as_of_date,
        observed.is_month_to_date,
        -- dates
        observed.snapshot_date
    from observed
    inner join loans
        on observed.loan_id = loans.loan_id
)

select * from final
