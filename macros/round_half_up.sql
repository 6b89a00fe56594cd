{#- expression rounded to `digits` decimals, half away from zero, the same on
    every engine: the value is made a decimal (10 decimals) first, then
    rounded as a decimal. round() of a double differs between engines on a
    value sitting on a half cent (DuckDB scales the binary double by 10^digits
    and rounds that, Spark rounds the double's shortest decimal form), so an
    amount like 24,691.30 x 5 % = 1,234.565 came out 1,234.56 on one engine
    and 1,234.57 on the other. -#}
{% macro round_half_up(expression, digits=2) -%}
    round(cast({{ expression }} as decimal(38, 10)), {{ digits }})
{%- endmacro %}
