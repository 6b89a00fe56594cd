{#
    The monthly risk trend of the Family A book: one row per reporting month
    (month-ends; the as-of month at as_of_date), from the loan-month states.
    PAR<N> (par_<N>, one per threshold N of var par_thresholds, default
    par_30 and par_90) = outstanding of active loans more than N days past
    due / outstanding of all active loans. Loans in arrears = the loans of
    the DPD buckets 1-30 .. 90+ plus loans_in_arrears_at_zero_dpd (an
    instalment due on the snapshot date itself, not yet covered). Disbursed: loans whose disbursal
    month it is. Collected: every payment dated in the month up to its
    snapshot date.
#}

{%- set par_thresholds = par_thresholds() %}

with

loan_states as (
    select * from {{ ref('int_loan_months_snapshotted') }}
),

reporting_months as (
    select * from {{ ref('int_reporting_months_listed') }}
),

payment_days as (
    select * from {{ ref('int_loan_payments_cumulated') }}
),

book as (
    select
        reporting_month,
        count(case when is_active then 1 end) as active_loans,
        coalesce(sum(case when is_active then outstanding_amount end), 0) as outstanding_amount,
        coalesce(
            sum(case when is_active then principal_outstanding_amount end), 0
        ) as principal_outstanding_amount,
        count(case when is_active and is_in_arrears then 1 end) as loans_in_arrears,
        count(case when is_in_arrears_at_zero_dpd then 1 end) as loans_in_arrears_at_zero_dpd,
        coalesce(
            sum(case when is_active and is_in_arrears then arrears_amount end), 0
        ) as arrears_amount,
        {%- for bucket in dpd_buckets() %}
            {%- set in_bucket = "is_active and dpd_bucket = '" ~ bucket.label ~ "'" %}
            count(case when {{ in_bucket }} then 1 end) as {{ bucket.column }}_loans,
            coalesce(
                sum(case when {{ in_bucket }} then outstanding_amount end), 0
            ) as {{ bucket.column }}_outstanding_amount,
        {%- endfor %}
        {%- for threshold in par_thresholds %}
            coalesce(
                sum(
                    case
                        when is_active and days_past_due > {{ threshold }} then outstanding_amount
                    end
                ),
                0
            ) as par_{{ threshold }}_outstanding_amount,
        {%- endfor %}
        count(case when months_on_book = 0 then 1 end) as disbursed_loans,
        coalesce(sum(case when months_on_book = 0 then principal_amount end), 0) as disbursed_amount
    from loan_states
    group by reporting_month
),

collections as (
    select
        reporting_months.reporting_month,
        sum(payment_days.paid_amount) as collected_amount,
        cast(sum(payment_days.payments_count) as {{ dbt.type_bigint() }}) as payments_count
    from payment_days
    inner join reporting_months
        on
            cast({{ dbt.date_trunc('month', 'payment_days.paid_date') }} as date)
            = reporting_months.reporting_month
            and payment_days.paid_date <= reporting_months.snapshot_date
    group by reporting_months.reporting_month
),

final as (
    select
        -- dimensions
        reporting_months.reporting_month,
        -- measures
        book.active_loans,
        book.outstanding_amount,
        book.principal_outstanding_amount,
        book.loans_in_arrears,
        book.loans_in_arrears_at_zero_dpd,
        book.arrears_amount,
        {%- for bucket in dpd_buckets() %}
            book.{{ bucket.column }}_loans,
            book.{{ bucket.column }}_outstanding_amount,
        {%- endfor %}
        {%- for threshold in par_thresholds %}
            book.par_{{ threshold }}_outstanding_amount,
        {%- endfor %}
        {%- for threshold in par_thresholds %}
            {%- set at_risk_amount = 'book.par_' ~ threshold ~ '_outstanding_amount' %}
            {{ safe_divide(at_risk_amount, 'book.outstanding_amount') }} as par_{{ threshold }},
        {%- endfor %}
        book.disbursed_loans,
        book.disbursed_amount,
        coalesce(collections.collected_amount, 0) as collected_amount,
        coalesce(collections.payments_count, 0) as payments_count,
        -- dates
        reporting_months.snapshot_date,
        reporting_months.is_month_to_date
    from reporting_months
    left join book
        on reporting_months.reporting_month = book.reporting_month
    left join collections
        on reporting_months.reporting_month = collections.reporting_month
)

select * from final
