{#
    A 64-bit floating point type for ratios, scores and correlations.
    type_double() is 'float', which DuckDB (like Spark) reads as a 32-bit
    REAL: a score of 9.09 would come back as 9.0900001525.
#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'loans_warehouse')()) }}
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}
