{#
    The config of a model incremental by whole months: each run replaces
    every month its query returns and keeps the others. Dispatched, as the
    engines replace partitions differently: DuckDB deletes the months present
    in the new rows and inserts them (delete+insert, unique_key = the month);
    Spark overwrites those months' partitions (insert_overwrite, dynamic
    partition overwrite, partition_by = the month; Spark keeps partition
    columns last in the table, so readers select columns by name). Either
    way a month the query does not return is kept as it is.
    on_schema_change fail: a table built with other columns is never
    patched, the run stops and asks for --full-refresh.
#}
{% macro incremental_by_month(month_column) -%}
    {{ return(adapter.dispatch('incremental_by_month', 'loans_warehouse')(month_column)) }}
{%- endmacro %}

{% macro default__incremental_by_month(month_column) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': month_column,
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{% macro spark__incremental_by_month(month_column) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [month_column],
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}
