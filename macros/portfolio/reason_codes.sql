{#
    One text listing the codes whose condition is true, comma-separated in
    the order given (e.g. 'behind_schedule,high_risk_tier'); null when none
    is. `conditions` is a list of [code, sql_condition] pairs. Portable:
    only case, dbt.concat and substring.
#}
{% macro reason_codes(conditions) -%}
    {%- set parts = [] -%}
    {%- for code, condition in conditions -%}
        {%- do parts.append("case when " ~ condition ~ " then '," ~ code ~ "' else '' end") -%}
    {%- endfor -%}
    nullif(substring({{ dbt.concat(parts) }}, 2), '')
{%- endmacro %}
