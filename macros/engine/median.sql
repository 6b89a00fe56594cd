{#
    The median of a column as an aggregate. DuckDB has median(); the
    standard ordered-set aggregate serves Postgres, Snowflake and others.
    Spark would add spark__median with percentile(x, 0.5).
#}
{% macro median(column) -%}
    {{ return(adapter.dispatch('median', 'loans_warehouse')(column)) }}
{%- endmacro %}

{% macro duckdb__median(column) -%}
    median({{ column }})
{%- endmacro %}

{% macro default__median(column) -%}
    percentile_cont(0.5) within group (order by {{ column }})
{%- endmacro %}
