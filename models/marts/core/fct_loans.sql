{#
    One row per loan of both portfolios, keyed by (source_feed, loan_id).
    Today only Family B (feed fact_loans) is unioned; Family A (feed orders)
    rows arrive with issue 4 as a second CTE producing the shared columns and
    nulls for Family B's own.
#}

{%- set rules = family_b_reconciliation_rules() -%}

with

family_b_amortised as (
    select * from {{ ref('int_loans_amortised') }}
),

family_b_reconciled as (
    select * from {{ ref('int_loans_reconciled') }}
),

family_b_loans as (
    select
        -- ids (shared)
        'fact_loans' as source_feed,
        cast(family_b_amortised.loan_id as {{ dbt.type_string() }}) as loan_id,
        -- ids (Family B)
        family_b_amortised.customer_id,
        family_b_amortised.branch_id,
        -- dimensions (shared)
        family_b_amortised.loan_status,
        -- dimensions (Family B)
        family_b_amortised.is_active,
        family_b_amortised.is_behind_schedule,
        {%- for rule in rules %}
            family_b_reconciled.{{ rule.flag }},
        {%- endfor %}
        family_b_reconciled.data_quality_flags,
        -- measures (shared)
        family_b_amortised.principal_amount,
        family_b_amortised.reported_paid_amount as paid_to_date_amount,
        family_b_amortised.reported_outstanding_amount as outstanding_amount,
        -- measures (Family B)
        family_b_amortised.interest_rate_pct,
        family_b_amortised.term_months,
        family_b_amortised.reported_paid_amount,
        family_b_amortised.reported_outstanding_amount,
        family_b_amortised.months_elapsed,
        family_b_amortised.expected_paid_amount,
        family_b_amortised.schedule_gap_amount,
        family_b_reconciled.data_quality_flags_count,
        -- dates (shared)
        family_b_amortised.start_date as disbursed_date,
        family_b_amortised.as_of_date,
        -- dates (Family B)
        family_b_amortised.start_date,
        family_b_amortised.end_date
    from family_b_amortised
    inner join family_b_reconciled
        on family_b_amortised.loan_id = family_b_reconciled.loan_id
),

final as (
    select * from family_b_loans
)

select * from final
