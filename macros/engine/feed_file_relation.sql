{#
    A relation expression reading one feed file with every column as text
    (the feed reader's file access), a CSV in the encoding of var
    raw_csv_encoding. Dispatched: DuckDB reads CSV and Parquet
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
        read_csv(
            {{ quoted_path }}, header = true, all_varchar = true,
            encoding = '{{ var('raw_csv_encoding') }}'
        )
    {%- endif -%}
{%- endmacro %}

{% macro default__feed_file_relation(path) -%}
    {{ default__list_files(path) }}
{%- endmacro %}

{#
    Spark: a Parquet file is read as it is; a CSV (or .csv.gz) file through a
    temporary view with the header, every column as text (no schema
    inference), RFC 4180 quoting (a doubled quote inside quotes, as DuckDB
    reads it) and multiLine (quoted line breaks; it also reads the file as
    one partition, so source_row_number is the file's order). The view is
    named after the path's hash and lives for the dbt run's Spark session.
#}
{% macro spark__feed_file_relation(path) -%}
    {%- if path.endswith('.parquet') -%}
        parquet.`{{ path }}`
    {%- else -%}
        {%- set view_name = 'loans_raw_feed_' ~ local_md5(path) -%}
        {%- if execute -%}
            {%- do run_query(
                "create or replace temporary view " ~ view_name ~ " using csv options ("
                ~ "path '" ~ dbt.escape_single_quotes(path) ~ "', header 'true', inferSchema 'false', "
                ~ "multiLine 'true', escape '\"', encoding '"
                ~ csv_encodings()[var('raw_csv_encoding')] ~ "')"
            ) -%}
        {%- endif -%}
        {{ view_name }}
    {%- endif -%}
{%- endmacro %}
