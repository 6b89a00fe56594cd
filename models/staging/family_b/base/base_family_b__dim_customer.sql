{#
    Every raw dim_customer row, parsed and tagged with the first rule it fails.
    Demographics may be empty (unknown); an age outside var
    plausible_age_range or a negative income is out_of_range_value. The name
    is personal data: it is staged, and no mart selects it.
#}

{%- set age_range = var('plausible_age_range') -%}

with

raw_customers as (
    {{ read_feed('dim_customer') }}
),

parsed as (
    select
        source_row_number,
        {{ parse_feed_column('dim_customer', 'CustomerID') }} as customer_id,
        {{ parse_feed_column('dim_customer', 'Name') }} as customer_name,
        {{ parse_feed_column('dim_customer', 'Age') }} as age_years,
        {{ parse_feed_column('dim_customer', 'Gender') }} as gender,
        {{ parse_feed_column('dim_customer', 'Income') }} as annual_income_amount,
        {{ parse_feed_column('dim_customer', 'EmploymentStatus') }} as employment_status,
        {{ blank_to_null('CustomerID') }} is null as is_missing_key,
        {{ feed_has_unparseable('dim_customer', 'number') }} as has_unparseable_number,
        {{ raw_cells('dim_customer') }}
    from raw_customers
),

rules_checked as (
    select
        *,
        case
            when is_missing_key then 'missing_key'
            when has_unparseable_number then 'unparseable_number'
            when
                age_years not between {{ age_range[0] }} and {{ age_range[1] }}
                or annual_income_amount < 0
                then 'out_of_range_value'
        end as rule_reason
    from parsed
),

tagged as (
    select
        *,
        coalesce(
            rule_reason,
            {{ later_duplicate_reason(['customer_id']) }}
        ) as quarantine_reason
    from rules_checked
),

final as (
    select
        -- ids
        customer_id,
        -- dimensions
        customer_name,
        age_years,
        gender,
        employment_status,
        -- measures
        annual_income_amount,
        -- quarantine
        quarantine_reason,
        -- metadata
        source_row_number,
        {{ quarantined_row_details('dim_customer') }}
    from tagged
)

select * from final
