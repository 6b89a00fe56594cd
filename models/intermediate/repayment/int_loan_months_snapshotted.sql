{#
    The one home of a Family A loan's repayment state at a date: planned and
    paid to date, gap, arrears, DPD, worst DPD so far, bucket, outstanding,
    active / closed. One row per disbursed loan per reporting month from its
    disbursal month on (closed loans stay, as `closed`), observed at the
    month's snapshot_date (month-end; as_of_date for the as-of month). The
    as-of mart, the month-end snapshots, the trend, roll rates and vintages
    all read it; none re-derives DPD.

    Each row looks up, per loan, by three ASOF joins on its date: the last
    instalment due (planned to date), the last payment day (paid to date) and
    the last day coverage advanced (int_loan_coverage_steps: instalments
    covered, their worst lateness, and the due date of the first instalment
    still uncovered).
    A closed loan's state is carried, not recomputed: after its closure
    month, a loan with no instalment due and no payment after that month's
    snapshot date looks up the same rows at every later snapshot, so those
    months copy the closure month's row (only the month, snapshot date,
    months on book and the as-of / month-to-date flags move). Most loan
    months of an old book are such rows; the ASOF joins run on the others.
    The heaviest model (loans x months on book), read by the per-loan
    as-of model int_loans_repayment_scored and four marts.

    Incremental by reporting month, so a monthly delivery recomputes only
    its new months (macro incremental_by_month: DuckDB delete+insert on
    reporting_month, Spark insert_overwrite of reporting_month partitions;
    either replaces exactly the months this query returns). A first build
    and --full-refresh build every month. Otherwise the months written start
    at refresh_from (macro month_refresh_start, logged), the earliest of:
    (a) the latest month already in the table (its as-of row moves to the
    month-end, its flags change);
    (b) the earliest month whose inputs changed since the previous build:
    per input and event month, row count and sum of row hashes of the
    columns read (macro loan_months_input_fingerprints: loans by disbursal
    month, closures by closure month, instalments by due month, payment days
    by payment month, coverage steps by covered month, the calendar by
    month), compared with those the post-hook stored in
    <this table>__input_fingerprints at the previous build. A row of month m
    changes states from m on only: the ASOF lookups take the last row on or
    before each snapshot date.
    Every month is recomputed when the stored fingerprints are missing or
    were built with another settings key (this model's code, the DPD
    buckets; macro loan_months_settings_key), and
    when the table holds a month the calendar no longer has (as_of_date
    moved back, the earliest loans went, another book built into the same
    file): replacing months cannot remove one, so the post-hook
    trim_months_outside deletes it on DuckDB; on Spark (Parquet tables
    cannot delete rows) the run stops with an error asking for
    --full-refresh. A change of columns stops the run (on_schema_change
    fail).
    An upstream var (arrears_tolerance, as_of_date, the plausible date
    range, ...) acts through the fingerprinted rows, so its change is caught
    from the first month it changes them.
    Not covered: a change of a macro's code other than the DPD buckets
    (e.g. the ASOF join's): after one, build with --full-refresh.
#}

{{ config(
    post_hook=loan_months_post_hooks(),
    **incremental_by_month('reporting_month')
) }}

{#- none on a full build; else the first month this incremental run writes #}
{%- set refresh_from = month_refresh_start(
    fingerprints_sql=loan_months_input_fingerprints(),
    settings_key=loan_months_settings_key(),
    calendar_relation=ref('int_reporting_months_listed'),
    month_column='reporting_month',
) %}
{%- set first_month_written = "cast('" ~ (refresh_from or '1900-01-01') ~ "' as date)" %}

with

loans as (
    select * from {{ ref('int_loans_disbursed') }}
),

reporting_months as (
    select * from {{ ref('int_reporting_months_listed') }}
),

payment_days as (
    select * from {{ ref('int_loan_payments_cumulated') }}
),

instalments as (
    select * from {{ ref('int_loan_instalments_scheduled') }}
),

coverage_steps as (
    select * from {{ ref('int_loan_coverage_steps') }}
),

last_payment_days as (
    select
        loan_id,
        max(paid_date) as last_paid_date
    from payment_days
    group by loan_id
),

{#
    The month after which a closed loan's state no longer changes: its
    closure month, when no instalment is due and no payment is dated after
    that month's end (coverage only advances on a payment or the first
    planned date, so it is settled too). Null for the other loans.
#}
loans_settled as (
    select
        loans.*,
        case
            when
                loans.closed_date is not null
                and loans.closed_date >= loans.disbursed_date
                and coalesce(
                    loans.last_planned_date, loans.disbursed_date
                ) <= {{ dbt.last_day('loans.closed_date', 'month') }}
                and coalesce(
                    last_payment_days.last_paid_date, loans.disbursed_date
                ) <= {{ dbt.last_day('loans.closed_date', 'month') }}
                then cast({{ dbt.date_trunc('month', 'loans.closed_date') }} as date)
        end as settled_month
    from loans
    left join last_payment_days
        on loans.loan_id = last_payment_days.loan_id
),

{#
    The loan months whose state is looked up: a loan's months up to its
    settled month (the later ones are carried). An incremental run looks up
    the months it writes, and the settled month of a loan settled before
    them (its carried months are copied from it). Only the keys: the ASOF
    joins sort their probe rows whole, so the loan's own columns are joined
    after them.
#}
loan_months as (
    select
        loans_settled.loan_id,
        reporting_months.reporting_month,
        reporting_months.snapshot_date,
        reporting_months.is_as_of_date,
        reporting_months.is_month_to_date
    from loans_settled
    inner join reporting_months
        on
            loans_settled.disbursed_date <= reporting_months.snapshot_date
            and (
                loans_settled.settled_month is null
                or loans_settled.settled_month >= reporting_months.reporting_month
            )
            and (
                reporting_months.reporting_month >= {{ first_month_written }}
                or loans_settled.settled_month = reporting_months.reporting_month
            )
),

looked_up as (
    select
        loan_months.*,
        loans_settled.principal_amount,
        loans_settled.scheduled_total_amount,
        loans_settled.disbursed_date,
        loans_settled.disbursal_month,
        loans_settled.closed_date,
        loans_settled.settled_month,
        coalesce(due_instalments.scheduled_cumulative_amount, 0) as planned_to_date_amount,
        coalesce(due_instalments.instalment_number, 0) as instalments_due_count,
        coalesce(payments_to_date.cumulative_paid_amount, 0) as paid_to_date_amount,
        coalesce(payments_to_date.cumulative_payments_count, 0) as payments_count,
        coalesce(payments_to_date.payment_day_number, 0) as payment_days_count,
        coalesce(coverage.covered_instalments_count, 0) as instalments_covered_count,
        coalesce(coverage.worst_covered_days_late, 0) as worst_covered_days_late,
        case
            when coverage.loan_id is null then loans_settled.first_planned_date
            else coverage.first_uncovered_planned_date
        end as first_uncovered_planned_date,
        coalesce(loans_settled.closed_date <= loan_months.snapshot_date, false) as is_closed
    from loan_months
    {{ asof_left_join(
        probe_relation='loan_months',
        relation='instalments',
        alias='due_instalments',
        match_columns=['loan_id'],
        probe_value='loan_months.snapshot_date',
        operator='>=',
        key_column='planned_date',
    ) }}
    {{ asof_left_join(
        probe_relation='loan_months',
        relation='payment_days',
        alias='payments_to_date',
        match_columns=['loan_id'],
        probe_value='loan_months.snapshot_date',
        operator='>=',
        key_column='paid_date',
    ) }}
    {{ asof_left_join(
        probe_relation='loan_months',
        relation='coverage_steps',
        alias='coverage',
        match_columns=['loan_id'],
        probe_value='loan_months.snapshot_date',
        operator='>=',
        key_column='covered_date',
    ) }}
    inner join loans_settled
        on loan_months.loan_id = loans_settled.loan_id
),

{#
    In arrears = an instalment due by the snapshot date is not covered, which
    is the same as arrears > arrears_tolerance (coverage already allows for
    it). An instalment due on the snapshot date itself counts: such a loan is
    in arrears at 0 days past due (DPD bucket `current`), which is why the
    loans in arrears are the loans of buckets 1-30 .. 90+ plus those in
    arrears at 0 DPD (is_in_arrears_at_zero_dpd). Uncovered instalments stop
    ageing when a loan closes.
#}
aged as (
    select
        *,
        coalesce(first_uncovered_planned_date <= snapshot_date, false) as is_in_arrears,
        case when is_closed then closed_date else snapshot_date end as ageing_end_date
    from looked_up
),

measured as (
    select
        *,
        case
            when is_in_arrears and not is_closed
                then {{ dbt.datediff('first_uncovered_planned_date', 'snapshot_date', 'day') }}
            else 0
        end as days_past_due,
        greatest(
            worst_covered_days_late,
            case
                when first_uncovered_planned_date <= ageing_end_date
                    then
                        {{ dbt.datediff('first_uncovered_planned_date', 'ageing_end_date', 'day') }}
                else 0
            end
        ) as max_days_past_due
    from aged
),

computed as (
    select
        -- ids
        loan_id,
        -- dimensions
        reporting_month,
        disbursal_month,
        {{ dbt.datediff('disbursal_month', 'reporting_month', 'month') }}
            as months_on_book,
        case when is_closed then 'closed' else 'active' end as loan_status,
        {{ dpd_bucket('days_past_due') }} as dpd_bucket,
        -- measures
        principal_amount,
        scheduled_total_amount,
        planned_to_date_amount,
        paid_to_date_amount,
        planned_to_date_amount - paid_to_date_amount as payment_gap_amount,
        greatest(planned_to_date_amount - paid_to_date_amount, 0) as arrears_amount,
        paid_to_date_amount - planned_to_date_amount as delta_amount,
        cast(
            {{ safe_divide('paid_to_date_amount', 'planned_to_date_amount') }}
            as {{ type_double() }}
        ) as paid_ratio,
        days_past_due,
        max_days_past_due,
        case
            when is_closed then 0
            else greatest(scheduled_total_amount - paid_to_date_amount, 0)
        end as outstanding_amount,
        case
            when is_closed then 0
            else greatest(principal_amount - paid_to_date_amount, 0)
        end as principal_outstanding_amount,
        payments_count,
        payment_days_count,
        instalments_due_count,
        instalments_covered_count,
        -- flags
        not is_closed as is_active,
        is_closed,
        is_in_arrears,
        is_in_arrears and not is_closed and days_past_due = 0 as is_in_arrears_at_zero_dpd,
        not is_closed
        and planned_to_date_amount > 0
        and paid_to_date_amount = 0 as is_zero_payment_open,
        is_closed and is_in_arrears as is_closed_with_shortfall,
        -- dates
        snapshot_date,
        disbursed_date,
        case when is_closed then closed_date end as closed_date,
        first_uncovered_planned_date,
        is_as_of_date,
        is_month_to_date,
        settled_month
    from measured
),

{#
    A carried month: the settled month's row, at each later month's date
    (those this run writes).
#}
carried as (
    select
        settled.loan_id,
        later_months.reporting_month,
        settled.disbursal_month,
        {{ dbt.datediff('settled.disbursal_month', 'later_months.reporting_month', 'month') }}
            as months_on_book,
        settled.loan_status,
        settled.dpd_bucket,
        settled.principal_amount,
        settled.scheduled_total_amount,
        settled.planned_to_date_amount,
        settled.paid_to_date_amount,
        settled.payment_gap_amount,
        settled.arrears_amount,
        settled.delta_amount,
        settled.paid_ratio,
        settled.days_past_due,
        settled.max_days_past_due,
        settled.outstanding_amount,
        settled.principal_outstanding_amount,
        settled.payments_count,
        settled.payment_days_count,
        settled.instalments_due_count,
        settled.instalments_covered_count,
        settled.is_active,
        settled.is_closed,
        settled.is_in_arrears,
        settled.is_in_arrears_at_zero_dpd,
        settled.is_zero_payment_open,
        settled.is_closed_with_shortfall,
        later_months.snapshot_date,
        settled.disbursed_date,
        settled.closed_date,
        settled.first_uncovered_planned_date,
        later_months.is_as_of_date,
        later_months.is_month_to_date
    from computed as settled
    inner join reporting_months as later_months
        on
            settled.reporting_month < later_months.reporting_month
            and later_months.reporting_month >= {{ first_month_written }}
    where settled.reporting_month = settled.settled_month
),

final as (
    select
        loan_id,
        reporting_month,
        disbursal_month,
        months_on_book,
        loan_status,
        dpd_bucket,
        principal_amount,
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
        payments_count,
        payment_days_count,
        instalments_due_count,
        instalments_covered_count,
        is_active,
        is_closed,
        is_in_arrears,
        is_in_arrears_at_zero_dpd,
        is_zero_payment_open,
        is_closed_with_shortfall,
        snapshot_date,
        disbursed_date,
        closed_date,
        first_uncovered_planned_date,
        is_as_of_date,
        is_month_to_date
    from computed
    where reporting_month >= {{ first_month_written }}
    union all
    select * from carried
)

select * from final
