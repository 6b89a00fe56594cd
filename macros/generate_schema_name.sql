{#
    Use a model's custom schema as-is (raw, staging, intermediate, marts)
    instead of dbt's default "<target schema>_<custom schema>", so BI users
    see marts.fct_loans rather than main_marts.fct_loans.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
