{#
    The warehouse's vocabulary, published so that charts, the dashboard and BI
    tools read the category names, their order and their bounds from here
    instead of typing them again: DPD buckets and roll-rate states (macro
    dpd_buckets()), repayment segments (var segment_tolerance), score tiers
    (var score_tier_floors) and the two portfolios. Bounds are half-open
    where a value can fall between two categories, and bounds_label says so
    ('[60, 80)'), so that tier B's top and tier A's floor cannot be misread.
#}

{%- set buckets = dpd_buckets() -%}
{%- set tolerance = var('segment_tolerance') -%}
{%- set floors = var('score_tier_floors') -%}
{%- set statuses = feed_contract('fact_loans')['accepted_values']['Status'] -%}
{%- set features = correlation_features() -%}
{%- set tiers = floors.items() | list -%}

{%- set categories = [] -%}

{#- DPD buckets: whole days, so both bounds are inclusive. -#}
{%- set previous_max = namespace(days=none) -%}
{%- for bucket in buckets -%}
    {%- set lower = 0 if previous_max.days is none else previous_max.days + 1 -%}
    {%- if bucket.max_days is none -%}
        {%- set bounds = lower ~ '+ days' -%}
    {%- elif lower == bucket.max_days -%}
        {%- set bounds = lower ~ ' days' -%}
    {%- else -%}
        {%- set bounds = lower ~ '–' ~ bucket.max_days ~ ' days' -%}
    {%- endif -%}
    {%- do categories.append({
        'domain': 'dpd_bucket', 'code': bucket.label, 'label': bucket.label ~ ' DPD' if bucket.label != 'current' else 'current (not past due)',
        'lower': lower, 'upper': bucket.max_days, 'bounds': bounds,
        'description': 'Days past due of the oldest uncovered instalment: ' ~ bounds ~ '.'
    }) -%}
    {%- do categories.append({
        'domain': 'roll_state', 'code': bucket.label, 'label': bucket.label ~ ' DPD' if bucket.label != 'current' else 'current',
        'lower': lower, 'upper': bucket.max_days, 'bounds': bounds,
        'description': 'A loan open at the month-end with DPD ' ~ bounds ~ '.'
    }) -%}
    {%- set previous_max.days = bucket.max_days -%}
{%- endfor -%}
{%- do categories.append({
    'domain': 'roll_state', 'code': 'closed', 'label': 'closed',
    'lower': none, 'upper': none, 'bounds': 'closed',
    'description': 'A loan closed by the month-end.'
}) -%}

{#- Repayment segments: paid_ratio = paid to date / planned to date. -#}
{%- do categories.append({
    'domain': 'repayment_segment', 'code': 'Underpaid', 'label': 'Underpaid',
    'lower': none, 'upper': 1 - tolerance, 'bounds': 'paid ratio < ' ~ (1 - tolerance),
    'description': 'Paid less than ' ~ (1 - tolerance) ~ ' of what was planned to date.'
}) -%}
{%- do categories.append({
    'domain': 'repayment_segment', 'code': 'On Track', 'label': 'On Track',
    'lower': 1 - tolerance, 'upper': 1 + tolerance, 'bounds': 'paid ratio in [' ~ (1 - tolerance) ~ ', ' ~ (1 + tolerance) ~ ']',
    'description': 'Paid within ' ~ tolerance ~ ' of what was planned to date.'
}) -%}
{%- do categories.append({
    'domain': 'repayment_segment', 'code': 'Overpaid', 'label': 'Overpaid',
    'lower': 1 + tolerance, 'upper': none, 'bounds': 'paid ratio > ' ~ (1 + tolerance),
    'description': 'Paid more than ' ~ (1 + tolerance) ~ ' of what was planned to date.'
}) -%}
{%- do categories.append({
    'domain': 'repayment_segment', 'code': 'Not Yet Due', 'label': 'Not Yet Due',
    'lower': none, 'upper': none, 'bounds': 'nothing planned to date',
    'description': 'No instalment was due yet, so the paid ratio is undefined.'
}) -%}

{#- Score tiers: [floor, next floor up), the top tier up to 100 inclusive. -#}
{%- for tier, floor in tiers -%}
    {%- set upper = 100 if loop.first else tiers[loop.index0 - 1][1] -%}
    {%- do categories.append({
        'domain': 'score_tier', 'code': tier, 'label': 'Tier ' ~ tier,
        'lower': floor, 'upper': upper,
        'bounds': ('[' ~ floor ~ ', 100]') if loop.first else ('[' ~ floor ~ ', ' ~ upper ~ ')'),
        'description': 'Repayment score ' ~ (('from ' ~ floor ~ ' to 100') if loop.first else ('from ' ~ floor ~ ' up to, not including, ' ~ upper)) ~ '.'
    }) -%}
{%- endfor -%}
{%- set last_floor = tiers[-1][1] -%}
{%- do categories.append({
    'domain': 'score_tier', 'code': 'D', 'label': 'Tier D',
    'lower': 0, 'upper': last_floor, 'bounds': '[0, ' ~ last_floor ~ ')',
    'description': 'Repayment score below ' ~ last_floor ~ '.'
}) -%}

{#- The two portfolios, named for people (family_a / family_b are the code names). -#}
{%- do categories.append({
    'domain': 'portfolio', 'code': 'family_a', 'label': 'Instalment loans (schedule and payments)',
    'lower': none, 'upper': none, 'bounds': none,
    'description': 'Loans with a repayment schedule and dated payments (feeds orders, plan, payments).'
}) -%}
{%- do categories.append({
    'domain': 'portfolio', 'code': 'family_b', 'label': 'Loan book (branches, customers, loans)',
    'lower': none, 'upper': none, 'bounds': none,
    'description': 'A snapshot of loans with their branch and customer (feeds dim_branch, dim_customer, fact_loans).'
}) -%}

{#-
    Loan statuses: the codes and their order are the contract's (var feed_contract,
    accepted Status values: ended first, then active); a status added there without a
    sentence here still gets a row.
-#}
{%- set status_meanings = {
    'Paid': 'Repaid in full: the loan has ended.',
    'Defaulted': 'Defaulted at the extract: the loan has ended unpaid.',
    'In Progress': 'Active: disbursed and being repaid.',
    'Approved': 'Active: approved, counted in the active book with In Progress.',
} -%}
{%- for status in statuses -%}
    {%- do categories.append({
        'domain': 'loan_status', 'code': status, 'label': status,
        'lower': none, 'upper': none, 'bounds': none,
        'description': status_meanings.get(status, 'Loan status ' ~ status ~ ' as the fact_loans feed spells it.')
    }) -%}
{%- endfor -%}

{#- Repayment features: the numerics rpt_repayment_correlations pairs, in its order, with the
    names people read on the heatmaps. -#}
{%- set feature_labels = {
    'issued_sum': 'Issued',
    'term_days': 'Term (days)',
    'planned_total': 'Planned total',
    'paid_to_date': 'Paid to date',
    'paid_ratio': 'Paid ÷ planned',
    'delta': 'Paid − planned',
    'current_dpd': 'DPD',
    'max_dpd': 'Worst DPD',
    'payments_count': 'Payments',
    'score': 'Score',
} -%}
{%- for feature, column in features.items() -%}
    {%- do categories.append({
        'domain': 'repayment_feature', 'code': feature,
        'label': feature_labels.get(feature, feature | replace('_', ' ')),
        'lower': none, 'upper': none, 'bounds': none,
        'description': 'Loan-level ' ~ column ~ ' of fct_loan_repayment.'
    }) -%}
{%- endfor -%}

with

categories as (
    {%- for category in categories %}
        {%- set texts = {} %}
        {%- for field in ['label', 'bounds', 'description'] %}
            {%- set value = category[field] %}
            {%- set quoted = "'" ~ (value | replace("'", "''")) ~ "'" %}
            {%- do texts.update({field: 'null' if value is none else quoted}) %}
        {%- endfor %}
        select
            '{{ category.domain }}' as category_set,
            '{{ category.code }}' as code,
            cast({{ texts.label }} as {{ dbt.type_string() }}) as category_label,
            {{ loop.index }} as sort_order,
            cast({{ 'null' if category.lower is none else category.lower }} as {{ type_double() }})
                as lower_bound,
            cast({{ 'null' if category.upper is none else category.upper }} as {{ type_double() }})
                as upper_bound,
            cast({{ texts.bounds }} as {{ dbt.type_string() }}) as bounds_label,
            cast({{ texts.description }} as {{ dbt.type_string() }}) as description
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        category_set,
        code,
        category_label,
        row_number() over (partition by category_set order by sort_order) as sort_order,
        lower_bound,
        upper_bound,
        bounds_label,
        description
    from categories
)

select * from final
