{#
    Vintage curves of the Family A book: cohorts by disbursal month, one row
    per cohort and months on book k (0 = the disbursal month), observed at
    the snapshot of month k (month-end; the as-of month at as_of_date).
    Cumulative paid / issued, and the share of the cohort ever more than N
    days past due by k (worst DPD so far > N), N = the first PAR threshold
    (macro par_thresholds(), default 30: columns loans_ever_30_plus_dpd and
    share_ever_30_plus_dpd). A loan stays in its cohort after it closes.
#}

{%- set ever_threshold = par_thresholds()[0] %}
{%- set ever_column = 'ever_' ~ ever_threshold ~ '_plus_dpd' %}

with

loan_states as (
    select * from {{ ref('int_loan_months_snapshotted') }}
),

cohort_months as (
    select
        disbursal_month,
        months_on_book,
        reporting_month,
        snapshot_date,
        is_month_to_date,
        count(*) as cohort_loans,
        sum(principal_amount) as issued_amount,
        sum(paid_to_date_amount) as cumulative_paid_amount,
        count(case when is_active then 1 end) as active_loans,
        count(
            case when max_days_past_due > {{ ever_threshold }} then 1 end
        ) as loans_{{ ever_column }}
    from loan_states
    group by disbursal_month, months_on_book, reporting_month, snapshot_date, is_month_to_date
),

final as (
    select
        -- dimensions
        disbursal_month,
        months_on_book,
        reporting_month,
        -- measures
        cohort_loans,
        issued_amount,
        cumulative_paid_amount,
        {{ safe_divide('cumulative_paid_amount', 'issued_amount') }} as paid_to_issued_ratio,
        active_loans,
        loans_{{ ever_column }},
        {{ safe_divide('loans_' ~ ever_column, 'cohort_loans') }} as share_{{ ever_column }},
        -- dates
        snapshot_date,
        is_month_to_date
    from cohort_months
)

select * from final
