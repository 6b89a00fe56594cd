{#
    How many of the given boolean columns are true, as an integer
    expression (null counts as false). Portable: only case.
#}
{% macro count_true(columns) -%}
    (
    {%- for column in columns %}
        case when {{ column }} then 1 else 0 end{{ ' +' if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}
