{#- True when a parsed date or timestamp lies outside var plausible_date_range. -#}

{% macro is_implausible_date(expression) -%}
    {%- set date_range = var('plausible_date_range') -%}
    ({{ expression }} < cast('{{ date_range[0] }}' as date)
        or {{ expression }} > cast('{{ date_range[1] }}' as date))
{%- endmacro %}
