{#- The raw row's key as text, e.g. '100001|2023-04-01' for a plan row, read
    from column_prefix ~ column (see quarantined_row_details). -#}

{% macro feed_record_key(feed_name, column_prefix='') -%}
    {%- set pieces = [] -%}
    {%- for column in feed_contract(feed_name)['key'] -%}
        {%- if not loop.first -%}{%- do pieces.append("'|'") -%}{%- endif -%}
        {%- do pieces.append("coalesce(" ~ blank_to_null(column_prefix ~ column) ~ ", '')") -%}
    {%- endfor -%}
    {{ dbt.concat(pieces) }}
{%- endmacro %}
