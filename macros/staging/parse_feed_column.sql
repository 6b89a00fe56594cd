{#
    Parsing raw text cells by the type the contract (var feed_contract) gives
    each column, so a column's type is declared once. Used by the base_
    staging models, which turn every bad cell into a quarantine reason.

    Contract types -> SQL:
      text      -> trimmed text, '' as null
      integer   -> bigint
      decimal   -> decimal(18, 2)   (money and rates; cents are the unit)
      timestamp -> timestamp        (ISO-8601 with or without time / fraction)
      date      -> date             (parsed as a timestamp, then truncated, so
                                     '2022-06-01 00:00:00' is a valid date)
#}

{% macro parse_feed_column(feed_name, column) -%}
    {%- set column_type = feed_contract(feed_name)['columns'][column] -%}
    {%- set text = blank_to_null(column) -%}
    {%- if column_type == 'text' -%}
        {{ text }}
    {%- elif column_type == 'integer' -%}
        {{ dbt.safe_cast(text, dbt.type_bigint()) }}
    {%- elif column_type == 'decimal' -%}
        {{ dbt.safe_cast(text, 'decimal(18, 2)') }}
    {%- elif column_type == 'timestamp' -%}
        {{ dbt.safe_cast(text, dbt.type_timestamp()) }}
    {%- elif column_type == 'date' -%}
        cast({{ dbt.safe_cast(text, dbt.type_timestamp()) }} as date)
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "Column '" ~ column ~ "' of feed '" ~ feed_name ~ "' has type '" ~ column_type
            ~ "' in var feed_contract; known types: text, integer, decimal, timestamp, date."
        ) }}
    {%- endif -%}
{%- endmacro %}
