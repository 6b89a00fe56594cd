{#
    A base model keeps a raw row's key and cells (record_key, raw_row_json)
    for the quarantine only: built for every row of a 5M-row feed, they were
    a quarter of the model's time (two strings per row, written and carried
    through the duplicate rule's window) for rows that almost all stage.
    raw_cells, in the model's first CTE: the raw text cells, renamed
    raw_cell__<column> beside the parsed columns (a prefix no parsed column
    uses: names compare case-insensitively, so raw_<column> would clash with
    fact_loans' raw_status on Spark). quarantined_row_details, in its final
    CTE: record_key and raw_row_json from those cells when the row is
    quarantined, null when it stages.
#}

{% macro raw_cell_prefix() -%}
    {{ return('raw_cell__') }}
{%- endmacro %}

{% macro raw_cells(feed_name) -%}
    {%- for column in feed_columns(feed_name) %}
        {{ adapter.quote(column) }} as {{ adapter.quote(raw_cell_prefix() ~ column) }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro quarantined_row_details(feed_name) -%}
    case
        when quarantine_reason is not null then {{ feed_record_key(feed_name, raw_cell_prefix()) }}
    end as record_key,
    case
        when quarantine_reason is not null then {{ row_to_json(feed_columns(feed_name), raw_cell_prefix()) }}
    end as raw_row_json
{%- endmacro %}
