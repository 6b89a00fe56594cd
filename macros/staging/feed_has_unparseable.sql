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
