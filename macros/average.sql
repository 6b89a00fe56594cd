{#- The mean of a numeric expression as a double, the same on every engine:
    DuckDB averages decimals into a double, Spark into a decimal of limited
    scale (4 more digits than the input), which differs from DuckDB's figure
    past the 1e-9 relative the engine comparison allows. Casting each value
    to a double first makes it an average of doubles on both. -#}
{% macro average(expression) -%}
    avg(cast({{ expression }} as {{ type_double() }}))
{%- endmacro %}
