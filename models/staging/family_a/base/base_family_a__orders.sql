{#
    Every raw orders row, parsed, tagged with the first rule it fails
    (quarantine_reason, null = valid). stg_family_a__orders keeps the valid
    rows; stg_quarantine__rows keeps the others. Nothing is dropped here.
#}

with

raw_orders as (
    {{ read_feed('orders') }}
),

parsed as (
    select
        source_row_number,
        {{ parse_feed_column('orders', 'order_id') }} as loan_id,
        {{ parse_feed_column('orders', 'created_at') }} as created_at,
        {{ parse_feed_column('orders', 'put_at') }} as disbursed_at,
        {{ parse_feed_column('orders', 'closed_at') }} as closed_at,
        {{ parse_feed_column('orders', 'issued_sum') }} as principal_amount,
        {{ feed_has_unparseable('orders', 'date') }} as has_unparseable_date,
        {{ feed_has_unparseable('orders', 'number') }} as has_unparseable_number,
        {{ raw_cells('orders') }}
    from raw_orders
),

rules_checked as (
    select
        *,
        case
            when loan_id is null then 'missing_key'
            when has_unparseable_date then 'unparseable_date'
            when has_unparseable_number then 'unparseable_number'
            when created_at is null or principal_amount is null then 'missing_value'
            when
                {{ is_implausible_date('created_at') }}
                or {{ is_implausible_date('disbursed_at') }}
                or {{ is_implausible_date('closed_at') }}
                then 'implausible_date'
            when principal_amount <= 0 then 'non_positive_amount'
            when
                cast(disbursed_at as date) < cast(created_at as date)
                or cast(closed_at as date) < cast(coalesce(disbursed_at, created_at) as date)
                then 'date_out_of_order'
        end as rule_reason
    from parsed
),

tagged as (
    select
        *,
        coalesce(
            rule_reason,
            {{ later_duplicate_reason(['loan_id']) }}
        ) as quarantine_reason
    from rules_checked
),

final as (
    select
        -- ids
        loan_id,
        -- measures
        principal_amount,
        -- dates
        created_at,
        disbursed_at,
        closed_at,
        -- quarantine
        quarantine_reason,
        -- metadata
        source_row_number,
        {{ quarantined_row_details('orders') }}
    from tagged
)

select * from final
