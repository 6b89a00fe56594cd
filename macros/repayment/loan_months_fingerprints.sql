{#
    What int_loan_months_snapshotted reads, fingerprinted per input and
    event month (the month from which a row can change a loan month's
    state): row count and sum of row hashes of the columns it reads. A
    change of a row in month m changes states from m on only, so comparing
    two builds' fingerprints gives the earliest month to recompute.
    last_planned_date is left out: it only decides whether a settled loan's
    month is looked up or copied, which give the same row.
#}
{% macro loan_months_input_fingerprints() -%}
    {%- set inputs = [
        {'name': 'loans', 'relation': ref('int_loans_disbursed'), 'date': 'disbursed_date',
         'columns': ['loan_id', 'disbursed_date', 'disbursal_month', 'principal_amount',
                     'scheduled_total_amount', 'first_planned_date']},
        {'name': 'closures', 'relation': ref('int_loans_disbursed'), 'date': 'closed_date',
         'columns': ['loan_id', 'closed_date']},
        {'name': 'instalments', 'relation': ref('int_loan_instalments_scheduled'), 'date': 'planned_date',
         'columns': ['loan_id', 'planned_date', 'instalment_number', 'scheduled_cumulative_amount']},
        {'name': 'payment_days', 'relation': ref('int_loan_payments_cumulated'), 'date': 'paid_date',
         'columns': ['loan_id', 'paid_date', 'cumulative_paid_amount', 'cumulative_payments_count',
                     'payment_day_number']},
        {'name': 'coverage_steps', 'relation': ref('int_loan_coverage_steps'), 'date': 'covered_date',
         'columns': ['loan_id', 'covered_date', 'covered_instalments_count', 'worst_covered_days_late',
                     'first_uncovered_planned_date']},
        {'name': 'reporting_months', 'relation': ref('int_reporting_months_listed'), 'date': 'reporting_month',
         'columns': ['reporting_month', 'snapshot_date', 'is_as_of_date', 'is_month_to_date']},
    ] -%}
    {%- for input in inputs %}
    select
        '{{ input.name }}' as input_name,
        coalesce(
            cast({{ dbt.date_trunc('month', input.date) }} as date),
            cast('1900-01-01' as date)
        ) as event_month,
        count(*) as row_count,
        sum(cast({{ row_hash(input.columns) }} as decimal(38, 0))) as hash_sum
    from {{ input.relation }}
    {%- if input.name == 'closures' %}
    where closed_date is not null
    {%- endif %}
    group by 1, 2
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#
    What int_loan_months_snapshotted's states depend on beyond its input
    rows: its own code and the DPD buckets. A build with another key
    recomputes every month. No var: the model reads none itself, and an
    upstream var (arrears_tolerance, as_of_date, ...) acts through the rows
    fingerprinted (coverage steps, calendar), so its change shows there,
    from the first month it changes.
#}
{% macro loan_months_settings_key() -%}
    {{ return(local_md5(
        model.raw_code ~ '|' ~ dpd_bucket('days_past_due')
    )) }}
{%- endmacro %}

{# The post-hooks of int_loan_months_snapshotted (strings, rendered when they run). #}
{% macro loan_months_post_hooks() -%}
    {{ return([
        "{{ trim_months_outside(ref('int_reporting_months_listed'), 'reporting_month') }}",
        "{{ store_month_fingerprints(loan_months_input_fingerprints(), loan_months_settings_key()) }}",
    ]) }}
{%- endmacro %}
