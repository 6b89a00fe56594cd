{#- A raw text column trimmed, with '' as null. -#}

{% macro blank_to_null(column) -%}
    nullif(trim({{ adapter.quote(column) }}), '')
{%- endmacro %}
