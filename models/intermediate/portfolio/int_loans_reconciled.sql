{#
    Each Family B loan of the book (started on or before the Family B
    reporting date) checked against the reconciliation rules (docs/metrics.md,
    plus a negative balance), whose definitions live in macro
    family_b_reconciliation_rules(). Flags only: the reported amounts are
    kept as the lender gave them.
#}

{%- set rules = family_b_reconciliation_rules() -%}
{%- set flag_codes = [] -%}
{%- for rule in rules -%}
    {%- do flag_codes.append([rule.code, rule.flag]) -%}
{%- endfor -%}

with

loans as (
    select * from {{ ref('stg_family_b__loans') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
    where portfolio = 'family_b'
),

booked_loans as (
    select loans.*
    from loans
    inner join reporting_dates
        on loans.start_date <= reporting_dates.as_of_date
),

flagged as (
    select
        {%- for rule in rules %}
            coalesce({{ rule.condition }}, false) as {{ rule.flag }},
        {%- endfor %}
        loan_id,
        principal_amount
    from booked_loans
),

final as (
    select
        -- ids
        loan_id,
        -- flags
        {%- for rule in rules %}
            {{ rule.flag }},
        {%- endfor %}
        {{ reason_codes(flag_codes) }} as data_quality_flags,
        -- measures
        {{ count_true(rules | map(attribute='flag') | list) }} as data_quality_flags_count,
        principal_amount
    from flagged
)

select * from final
