{#
    Every raw plan row, parsed and tagged with the first rule it fails.
    The foreign-key check needs the orders: this is the one place in staging
    that reads another feed, so that a plan row of an unknown or quarantined
    loan is quarantined (orphan_foreign_key / parent_quarantined) rather than
    dropped later by a join.
#}

with

raw_plan as (
    {{ read_feed('plan') }}
),

orders as (
    select * from {{ ref('base_family_a__orders') }}
),

{#
    Each loaded order's id, and whether it stages: a row of it has no
    quarantine reason (what stg_family_a__orders keeps). One lookup for both
    foreign-key rules.
#}
loaded_orders as (
    select
        loan_id,
        {{ dbt.bool_or('quarantine_reason is null') }} as is_staged
    from orders
    group by loan_id
),

parsed as (
    select
        source_row_number,
        {{ parse_feed_column('plan', 'order_id') }} as loan_id,
        {{ parse_feed_column('plan', 'plan_at') }} as planned_at,
        {{ parse_feed_column('plan', 'plan_sum_total') }} as planned_cumulative_amount,
        {{ blank_to_null('plan_at') }} is null as is_missing_plan_at,
        {{ feed_has_unparseable('plan', 'date') }} as has_unparseable_date,
        {{ feed_has_unparseable('plan', 'number') }} as has_unparseable_number,
        {{ raw_cells('plan') }}
    from raw_plan
),

rules_checked as (
    select
        parsed.*,
        case
            when parsed.loan_id is null or parsed.is_missing_plan_at then 'missing_key'
            when parsed.has_unparseable_date then 'unparseable_date'
            when parsed.has_unparseable_number then 'unparseable_number'
            when parsed.planned_cumulative_amount is null then 'missing_value'
            when {{ is_implausible_date('parsed.planned_at') }} then 'implausible_date'
            when parsed.planned_cumulative_amount <= 0 then 'non_positive_amount'
            when loaded_orders.loan_id is null then 'orphan_foreign_key'
            when not loaded_orders.is_staged then 'parent_quarantined'
        end as rule_reason
    from parsed
    left join loaded_orders
        on parsed.loan_id = loaded_orders.loan_id
),

tagged as (
    select
        *,
        coalesce(
            rule_reason,
            {{ later_duplicate_reason(['loan_id', 'cast(planned_at as date)']) }}
        ) as quarantine_reason
    from rules_checked
),

final as (
    select
        -- ids
        loan_id,
        -- measures
        planned_cumulative_amount,
        -- dates
        cast(planned_at as date) as planned_date,
        -- quarantine
        quarantine_reason,
        -- metadata
        source_row_number,
        {{ quarantined_row_details('plan') }}
    from tagged
)

select * from final
