{#
    Risk tier (high / medium / low) of every Family B customer from
    transparent rules: points for their repayment history (a defaulted loan,
    an active loan behind its amortisation schedule) and for belonging to a
    high-default segment. The rule table is in the model's description
    (doc risk_tier_rules).
#}

{%- set points = var('risk_tier_points') -%}
{%- set min_points = var('risk_tier_min_points') -%}
{%- set multiplier = var('risk_segment_rate_multiplier') -%}
{%- set segment_dimensions = ['age_band', 'income_band', 'employment_status'] -%}
{%- set reasons = [
    ['defaulted_loan', 'has_defaulted_loan'],
    ['behind_schedule_loan', 'has_behind_schedule_loan'],
] -%}
{%- set segment_flags = [] -%}
{%- for dimension in segment_dimensions -%}
    {%- do segment_flags.append('is_high_default_' ~ dimension) -%}
    {%- do reasons.append(['high_default_' ~ dimension, 'is_high_default_' ~ dimension]) -%}
{%- endfor -%}

with

customers as (
    select * from {{ ref('int_customers_banded') }}
),

behaviour as (
    select * from {{ ref('int_customers_behaviour_summarised') }}
),

segments as (
    select * from {{ ref('int_demographic_segments_aggregated') }}
    where dimensions_count <= 1
),

portfolio as (
    select default_rate as portfolio_default_rate
    from segments
    where segment_dimension = 'portfolio'
),

high_default_segments as (
    select
        segments.segment_dimension,
        segments.segment_value
    from segments
    cross join portfolio
    where
        segments.dimensions_count = 1
        and not segments.is_small_sample
        and segments.default_rate >= {{ multiplier }} * portfolio.portfolio_default_rate
),

rules_checked as (
    select
        customers.customer_id,
        {%- for dimension in segment_dimensions %}
            high_{{ dimension }}.segment_value is not null as is_high_default_{{ dimension }},
        {%- endfor %}
        coalesce(behaviour.has_defaulted_loan, false) as has_defaulted_loan,
        coalesce(behaviour.has_behind_schedule_loan, false) as has_behind_schedule_loan
    from customers
    left join behaviour
        on customers.customer_id = behaviour.customer_id
    {%- for dimension in segment_dimensions %}
        left join high_default_segments as high_{{ dimension }}
            on
                high_{{ dimension }}.segment_dimension = '{{ dimension }}'
                and high_{{ dimension }}.segment_value
                = coalesce(customers.{{ dimension }}, 'Unknown')
    {%- endfor %}
),

pointed as (
    select
        *,
        {{ count_true(segment_flags) }} as high_default_segments_count
    from rules_checked
),

scored as (
    select
        *,
        {{ points.defaulted_loan }} * case when has_defaulted_loan then 1 else 0 end
        + {{ points.behind_schedule_loan }} * case when has_behind_schedule_loan then 1 else 0 end
        + {{ points.high_default_segment }} * high_default_segments_count as risk_points
    from pointed
),

final as (
    select
        -- ids
        customer_id,
        -- dimensions
        case
            when risk_points >= {{ min_points.high }} then 'high'
            when risk_points >= {{ min_points.medium }} then 'medium'
            else 'low'
        end as risk_tier,
        {{ reason_codes(reasons) }} as risk_reasons,
        has_defaulted_loan,
        has_behind_schedule_loan,
        {%- for dimension in segment_dimensions %}
            is_high_default_{{ dimension }},
        {%- endfor %}
        -- measures
        high_default_segments_count,
        risk_points
    from scored
)

select * from final
