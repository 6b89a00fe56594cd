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

{% macro blank_to_null(column) -%}
    nullif(trim({{ adapter.quote(column) }}), '')
{%- endmacro %}


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


{#-
    True when any raw cell of the given kind ('date' = date/timestamp columns,
    'number' = integer/decimal columns) holds text that does not parse.
-#}
{% macro feed_has_unparseable(feed_name, kind) -%}
    {%- set types = {'date': ['timestamp', 'date'], 'number': ['integer', 'decimal']}[kind] -%}
    {%- set checks = [] -%}
    {%- for column, column_type in feed_contract(feed_name)['columns'].items() -%}
        {%- if column_type in types -%}
            {%- do checks.append(
                "(" ~ blank_to_null(column) ~ " is not null and "
                ~ parse_feed_column(feed_name, column) ~ " is null)"
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ checks | join('\n        or ') if checks else 'false' }}
{%- endmacro %}


{#- The raw row's key as text, e.g. '100001|2023-04-01' for a plan row. -#}
{% macro feed_record_key(feed_name) -%}
    {%- set pieces = [] -%}
    {%- for column in feed_contract(feed_name)['key'] -%}
        {%- if not loop.first -%}{%- do pieces.append("'|'") -%}{%- endif -%}
        {%- do pieces.append("coalesce(" ~ blank_to_null(column) ~ ", '')") -%}
    {%- endfor -%}
    {{ dbt.concat(pieces) }}
{%- endmacro %}


{#- True when a parsed date or timestamp lies outside var plausible_date_range. -#}
{% macro is_implausible_date(expression) -%}
    {%- set date_range = var('plausible_date_range') -%}
    ({{ expression }} < cast('{{ date_range[0] }}' as date)
        or {{ expression }} > cast('{{ date_range[1] }}' as date))
{%- endmacro %}


{#-
    The one rule for repeated keys in a base model: among the rows that pass
    every other check (rule_reason null), the first in file order is kept and
    every later one is quarantined with `reason`. Yields that reason or null;
    use it as coalesce(rule_reason, later_duplicate_reason([...])).
-#}
{% macro later_duplicate_reason(key_columns, reason='duplicate_key') -%}
    case
        when
            rule_reason is null
            and row_number() over (
                partition by {{ key_columns | join(', ') }}, rule_reason
                order by source_row_number
            ) > 1
            then '{{ reason }}'
    end
{%- endmacro %}
