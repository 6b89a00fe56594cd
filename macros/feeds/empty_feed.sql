{#- An empty relation with the contract's text columns and source_row_number, for a feed absent from raw_dir. -#}

{% macro empty_feed(columns) %}
    select
        {%- for column in columns %}
        cast(null as {{ dbt.type_string() }}) as {{ adapter.quote(column) }},
        {%- endfor %}
        cast(null as {{ dbt.type_bigint() }}) as source_row_number
    where 1 = 0
{% endmacro %}
