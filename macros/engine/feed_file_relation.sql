{#
    A relation expression reading one feed file with every column as text
    (the feed reader's file access). Dispatched: DuckDB reads CSV and Parquet
    itself; the default raises the same clear error as list_files().
#}
{% macro feed_file_relation(path) -%}
    {{ return(adapter.dispatch('feed_file_relation', 'loans_warehouse')(path)) }}
{%- endmacro %}

{% macro duckdb__feed_file_relation(path) -%}
    {%- set quoted_path = "'" ~ dbt.escape_single_quotes(path) ~ "'" -%}
    {%- if path.endswith('.parquet') -%}
        read_parquet({{ quoted_path }})
    {%- else -%}
        read_csv({{ quoted_path }}, header = true, all_varchar = true)
    {%- endif -%}
{%- endmacro %}

{% macro default__feed_file_relation(path) -%}
    {{ default__list_files(path) }}
{%- endmacro %}
