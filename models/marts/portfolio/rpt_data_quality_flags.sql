{#
    How many loans of the Family B book break each reconciliation rule,
    and the principal involved: one row per rule of macro
    family_b_reconciliation_rules() (a rule nobody breaks shows 0); no row
    when the book is empty.
#}

{%- set rules = family_b_reconciliation_rules() -%}

with

loans as (
    select * from {{ ref('int_loans_reconciled') }}
),

rules_counted as (
    {%- for rule in rules %}
        select
            {{ loop.index }} as rule_order,
            '{{ rule.code }}' as rule_code,
            '{{ rule.description }}' as rule_description,
            count(*) as loans_checked_count,
            count(case when {{ rule.flag }} then 1 end) as loans_flagged_count,
            coalesce(sum(case when {{ rule.flag }} then principal_amount end), 0)
                as principal_affected_amount
        from loans
        having count(*) > 0
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        -- ids
        rule_code,
        -- dimensions
        rule_order,
        rule_description,
        -- measures
        loans_checked_count,
        loans_flagged_count,
        principal_affected_amount,
        {{ safe_divide('loans_flagged_count', 'loans_checked_count') }} as loans_flagged_share
    from rules_counted
)

select * from final
