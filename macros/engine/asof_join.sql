{#
    asof_left_join: for each row of the probe side, the one row of `relation`
    (same values in `match_columns`) whose `key_column` is the closest to
    `probe_value` in the direction given by `operator`:
      '>=' : probe_value >= key_column, the largest such key (the latest
             event on or before a date: "as of");
      '<=' : probe_value <= key_column, the smallest such key (the first time
             a running total reaches a threshold).
    No match -> the relation's columns are null (a left join).

    Renders a join clause to put after `from <probe_relation>`. The keys of
    `relation` must be unique within each match group (every caller joins on
    per-day or per-instalment rows, which are).

    DuckDB has ASOF JOIN (a sort-merge, O(n log n)); other engines get the
    same result from a range join against [key, next key) or (previous key,
    key], built with lead/lag.
#}
{% macro asof_left_join(probe_relation, relation, alias, match_columns, probe_value, operator, key_column) -%}
    {%- if operator not in ['>=', '<='] -%}
        {{ exceptions.raise_compiler_error(
            "asof_left_join: operator must be '>=' or '<=', got '" ~ operator ~ "'"
        ) }}
    {%- endif -%}
    {{ return(adapter.dispatch('asof_left_join', 'loans_warehouse')(
        probe_relation, relation, alias, match_columns, probe_value, operator, key_column
    )) }}
{%- endmacro %}

{% macro duckdb__asof_left_join(probe_relation, relation, alias, match_columns, probe_value, operator, key_column) -%}
asof left join {{ relation }} as {{ alias }}
    on
        {%- for column in match_columns %}
        {{ probe_relation }}.{{ column }} = {{ alias }}.{{ column }}
        and
        {%- endfor %}
        {{ probe_value }} {{ operator }} {{ alias }}.{{ key_column }}
{%- endmacro %}

{% macro default__asof_left_join(probe_relation, relation, alias, match_columns, probe_value, operator, key_column) -%}
    {%- set neighbour = 'lead' if operator == '>=' else 'lag' -%}
    {%- set beyond = '<' if operator == '>=' else '>' -%}
left join (
    select
        *,
        {{ neighbour }}({{ key_column }}) over (
            partition by {{ match_columns | join(', ') }}
            order by {{ key_column }}
        ) as asof_neighbour_key
    from {{ relation }}
) as {{ alias }}
    on
        {%- for column in match_columns %}
        {{ probe_relation }}.{{ column }} = {{ alias }}.{{ column }}
        and
        {%- endfor %}
        {{ probe_value }} {{ operator }} {{ alias }}.{{ key_column }}
        and ({{ alias }}.asof_neighbour_key is null or {{ probe_value }} {{ beyond }} {{ alias }}.asof_neighbour_key)
{%- endmacro %}
