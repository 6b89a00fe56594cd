{#
    One JSON text holding the given columns of a row, keys as written:
    the quarantine keeps the raw row this way so nothing is lost. The values
    are read from column_prefix ~ column (a base model carries the raw cells
    as raw_cell__<column> beside the parsed ones).
#}
{% macro row_to_json(columns, column_prefix='') -%}
    {{ return(adapter.dispatch('row_to_json', 'loans_warehouse')(columns, column_prefix)) }}
{%- endmacro %}

{% macro duckdb__row_to_json(columns, column_prefix='') -%}
    cast(json_object(
        {%- for column in columns %}
        '{{ column }}', {{ adapter.quote(column_prefix ~ column) }}{{ "," if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}

{#- Spark's to_json leaves out null fields unless told not to: a null column
    stays in the JSON as null, as on DuckDB. -#}
{% macro spark__row_to_json(columns, column_prefix='') -%}
    to_json(
        named_struct(
            {%- for column in columns %}
            '{{ column }}', {{ adapter.quote(column_prefix ~ column) }}{{ "," if not loop.last }}
            {%- endfor %}
        ),
        map('ignoreNullFields', 'false')
    )
{%- endmacro %}

{% macro default__row_to_json(columns, column_prefix='') -%}
    to_json(named_struct(
        {%- for column in columns %}
        '{{ column }}', {{ adapter.quote(column_prefix ~ column) }}{{ "," if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}
