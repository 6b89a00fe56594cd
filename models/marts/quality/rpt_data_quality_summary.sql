{#
    What was wrong with the loaded data, per raw feed, at a glance: rows
    loaded and staged, rows quarantined by reason, and loans flagged by each
    data-quality rule (valid rows kept but inconsistent).

    Flags are per loan, so they are attributed to each family's loan feed
    (orders for Family A, fact_loans for Family B) whatever field raised them
    (a plan step-down is a flag on its order). Reads intermediates only, each
    count from its one home: int_feeds_reconciled (loaded / staged),
    int_quarantine_reasons_counted (quarantined by reason), the Family A
    flags of int_loans_repayment_scored (as fct_loan_repayment shows them)
    and the Family B rules of int_loans_reconciled (macro
    family_b_reconciliation_rules(), as rpt_data_quality_flags counts them):
    every staged Family B loan is checked, whatever the reporting date, as
    the loaded and staged row counts are.
#}

{%- set family_b_rules = family_b_reconciliation_rules() -%}
{%- set family_a_flags = {
    'plan_step_down': 'has_plan_step_down',
    'schedule_below_principal': 'has_schedule_below_principal',
    'payment_before_disbursal': 'has_payment_before_disbursal',
    'closed_with_shortfall': 'is_closed_with_shortfall',
    'no_schedule': 'has_no_schedule',
    'open_fully_paid': 'is_open_fully_paid',
} -%}

with

feed_reconciliation as (
    select * from {{ ref('int_feeds_reconciled') }}
),

quarantine_counts as (
    select * from {{ ref('int_quarantine_reasons_counted') }}
),

family_a_loans as (
    select * from {{ ref('int_loans_repayment_scored') }}
),

family_b_loans as (
    select * from {{ ref('int_loans_reconciled') }}
),

{# `family` is the contract's own word (var feed_contract), so RF04 is waived for it. #}
feed_families as (
    {%- for feed_name, feed in var('feed_contract').items() %}
        select
            '{{ feed_name }}' as source_feed,
            '{{ feed.family }}' as family  -- noqa: RF04
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

feed_totals as (
    select
        source_feed,
        'loaded' as category,
        'all rows' as issue_code,
        loaded_rows as rows_count
    from feed_reconciliation
    union all
    select
        source_feed,
        'staged' as category,
        'all rows' as issue_code,
        staged_rows as rows_count
    from feed_reconciliation
),

quarantine_reasons as (
    select
        source_feed,
        'quarantined' as category,
        quarantine_reason as issue_code,
        quarantined_rows as rows_count
    from quarantine_counts
),

family_a_flags as (
    {%- for issue_code, flag in family_a_flags.items() %}
        select
            'orders' as source_feed,
            'flagged' as category,
            '{{ issue_code }}' as issue_code,
            count(case when {{ flag }} then 1 end) as rows_count
        from family_a_loans
        having count(case when {{ flag }} then 1 end) > 0
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

family_b_flags as (
    {%- for rule in family_b_rules %}
        select
            'fact_loans' as source_feed,
            'flagged' as category,
            '{{ rule.code }}' as issue_code,
            count(case when {{ rule.flag }} then 1 end) as rows_count
        from family_b_loans
        having count(case when {{ rule.flag }} then 1 end) > 0
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

issues as (
    select * from feed_totals
    union all
    select * from quarantine_reasons
    union all
    select * from family_a_flags
    union all
    select * from family_b_flags
),

final as (
    select
        -- ids
        issues.source_feed,
        issues.category,
        issues.issue_code,
        -- dimensions
        feed_families.family,
        feed_reconciliation.is_reconciled,
        -- measures
        cast(issues.rows_count as {{ dbt.type_bigint() }}) as rows_count,
        {{ safe_divide('issues.rows_count', 'feed_reconciliation.loaded_rows') }}
            as share_of_loaded,
        feed_reconciliation.loaded_rows
    from issues
    inner join feed_reconciliation
        on issues.source_feed = feed_reconciliation.source_feed
    inner join feed_families
        on issues.source_feed = feed_families.source_feed
)

select * from final
