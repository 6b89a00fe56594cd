{#- True when values is a non-empty list of numbers (not booleans) in strictly ascending order. -#}
{% macro check_ascending_numbers(values) %}
    {%- if values is string or values is mapping or values is not iterable or values | length == 0 -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set state = namespace(ok=true) -%}
    {%- for value in values -%}
        {%- if value is not number or value is sameas true or value is sameas false
            or (not loop.first and value <= values[loop.index0 - 1]) -%}
            {%- set state.ok = false -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(state.ok) }}
{% endmacro %}
