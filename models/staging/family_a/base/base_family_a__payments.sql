{#
    Every raw payments row, parsed and tagged with the first rule it fails.
    Several payments per loan per day are normal; only an exact copy (same
    loan, timestamp to the millisecond and amount) is quarantined as
    exact_duplicate, unless var keep_exact_duplicate_payments is true. Like
    the plan, it reads the orders for the foreign-key check.
#}

{%- if var('keep_exact_duplicate_payments') -%}
    {%- set exact_duplicate_reason = 'null' -%}
{%- else -%}
    {%- set exact_duplicate_reason = later_duplicate_reason(
        ['loan_id', 'paid_at', 'paid_amount'], 'exact_duplicate'
    ) -%}
{%- endif -%}

with

raw_payments as (
    {{ read_feed('payments') }}
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
        {{ parse_feed_column('payments', 'order_id') }} as loan_id,
        {{ parse_feed_column('payments', 'paid_at') }} as paid_at,
        {{ parse_feed_column('payments', 'paid_sum') }} as paid_amount,
        {{ feed_has_unparseable('payments', 'date') }} as has_unparseable_date,
        {{ feed_has_unparseable('payments', 'number') }} as has_unparseable_number,
        {{ raw_cells('payments') }}
    from raw_payments
),

rules_checked as (
    select
        parsed.*,
        case
            when parsed.loan_id is null then 'missing_key'
            when parsed.has_unparseable_date then 'unparseable_date'
            when parsed.has_unparseable_number then 'unparseable_number'
            when parsed.paid_at is null or parsed.paid_amount is null then 'missing_value'
            when {{ is_implausible_date('parsed.paid_at') }} then 'implausible_date'
            when parsed.paid_amount <= 0 then 'non_positive_amount'
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
            {{ exact_duplicate_reason }}
        ) as quarantine_reason
    from rules_checked
),

final as (
    select
        -- ids
        loan_id,
        -- measures
        paid_amount,
        -- dates
        paid_at,
        -- quarantine
        quarantine_reason,
        -- metadata
        source_row_number,
        {{ quarantined_row_details('payments') }}
    from tagged
)

select * from final
