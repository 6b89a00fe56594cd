{#- file_columns are the names as found; they are renamed to the contract's spelling.
    row_number: the expression numbering the rows in read order (source_row_number). -#}

{% macro select_feed_columns(file_columns, contract_columns, relation, row_number=none) %}
    select
        {%- for column in contract_columns %}
        cast({{ adapter.quote(file_columns[loop.index0]) }} as {{ dbt.type_string() }}) as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ row_number or file_row_number() }} as source_row_number
    from {{ relation }}
{% endmacro %}
