{#- numerator / denominator, null when the denominator is 0 or null (never an error).
    Dispatched: DuckDB divides decimals into a double; Spark into a decimal of
    limited scale (6 to 10 digits), so on Spark the numerator is a double
    first and both engines give the same ratio. -#}
{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide', 'loans_warehouse')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    ({{ numerator }}) / nullif({{ denominator }}, 0)
{%- endmacro %}

{% macro spark__safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as double) / nullif({{ denominator }}, 0)
{%- endmacro %}
