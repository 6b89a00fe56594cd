{#
    Fails with one row per condition that some rows break: the condition's
    text and how many rows break it (false or null, as in expression_is_true:
    write "x is null or ..." where a null is allowed). Every condition is
    checked in one scan of the model, so a table of tens of millions of rows
    is read once for all its column rules rather than once per rule and
    column. The conditions are unpivoted by crossing a list of their numbers
    with the one row of counts (one reference: Spark would recompute a CTE
    referenced once per condition). Proven able to fail, with the counts, by
    the fixture tests on seeds/testing/generic_test_fixture.csv.
#}
{% test rows_satisfy(model, conditions) %}

with

counted as (
    select
        {%- for condition in conditions %}
        sum(case when coalesce(({{ condition }}), false) then 0 else 1 end)
            as breaking_rows_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}
),

condition_numbers as (
    {%- for condition in conditions %}
    select {{ loop.index }} as condition_number
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

breaches as (
    select
        case condition_numbers.condition_number
            {%- for condition in conditions %}
            when {{ loop.index }} then '{{ dbt.escape_single_quotes(condition) }}'
            {%- endfor %}
        end as condition,
        case condition_numbers.condition_number
            {%- for condition in conditions %}
            when {{ loop.index }} then counted.breaking_rows_{{ loop.index }}
            {%- endfor %}
        end as breaking_rows
    from condition_numbers
    cross join counted
)

select * from breaches
where breaking_rows > 0

{% endtest %}
