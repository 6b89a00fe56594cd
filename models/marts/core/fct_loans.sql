{#
    One row per loan of both portfolios, keyed by (source_feed, loan_id):
    Family B (feed fact_loans) as reported by the lender, Family A (feed
    orders, disbursed loans only) as computed by int_loans_repayment_scored,
    the per-loan as-of model fct_loan_repayment reads too (the two marts are
    siblings on the intermediate layer). The shared columns mean the same
    for both; Family B's own are null for Family A (whose own columns live
    in fct_loan_repayment).
#}

{%- set rules = family_b_reconciliation_rules() -%}

with

family_b_amortised as (
    select * from {{ ref('int_loans_amortised') }}
),

family_b_reconciled as (
    select * from {{ ref('int_loans_reconciled') }}
),

family_a_repayment as (
    select * from {{ ref('int_loans_repayment_scored') }}
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

family_a_loans as (
    select
        -- ids (shared)
        'orders' as source_feed,
        loan_id,
        -- ids (Family B)
        cast(null as {{ dbt.type_bigint() }}) as customer_id,
        cast(null as {{ dbt.type_bigint() }}) as branch_id,
        -- dimensions (shared)
        loan_status,
        -- dimensions (Family B; behind schedule = in arrears for Family A)
        is_active,
        is_in_arrears as is_behind_schedule,
        {%- for rule in rules %}
            cast(null as {{ dbt.type_boolean() }}) as {{ rule.flag }},
        {%- endfor %}
        cast(null as {{ dbt.type_string() }}) as data_quality_flags,
        -- measures (shared)
        principal_amount,
        paid_to_date_amount,
        outstanding_amount,
        -- measures (Family B)
        cast(null as decimal(18, 2)) as interest_rate_pct,
        cast(null as {{ dbt.type_bigint() }}) as term_months,
        cast(null as decimal(18, 2)) as reported_paid_amount,
        cast(null as decimal(18, 2)) as reported_outstanding_amount,
        cast(null as {{ dbt.type_bigint() }}) as months_elapsed,
        cast(null as decimal(18, 2)) as expected_paid_amount,
        cast(null as decimal(18, 2)) as schedule_gap_amount,
        cast(null as {{ dbt.type_int() }}) as data_quality_flags_count,
        -- dates (shared)
        disbursed_date,
        as_of_date,
        -- dates (Family B)
        cast(null as date) as start_date,
        cast(null as date) as end_date
    from family_a_repayment
),

final as (
    select * from family_b_loans
    union all
    select * from family_a_loans
)

select * from final
