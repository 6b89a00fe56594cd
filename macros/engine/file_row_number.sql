{#
    file_row_number: the 1-based position of each row in the relation it is
    selected from, in the order the engine reads it (the file's order for a
    feed file, insertion order for a seed). The feed reader's
    source_row_number, which decides which of two repeated keys is "the
    first in the file".

    DuckDB keeps insertion / file order for `row_number() over ()`. Spark
    requires an ordered window: monotonically_increasing_id() grows with the
    partition index and the row's place in it, so ordering by it is read
    order as long as the relation is read in order (one CSV read with
    multiLine, one Parquet file of a seed written by one task: see
    spark__feed_file_relation and spark__load_csv_rows).
#}
{% macro file_row_number() -%}
    {{ return(adapter.dispatch('file_row_number', 'loans_warehouse')()) }}
{%- endmacro %}

{% macro duckdb__file_row_number() -%}
    row_number() over ()
{%- endmacro %}

{% macro spark__file_row_number() -%}
    row_number() over (order by monotonically_increasing_id())
{%- endmacro %}

{% macro default__file_row_number() -%}
    row_number() over ()
{%- endmacro %}

{#
    feed_file_row_number: source_row_number of a feed file read by
    feed_file_relation(path, numbered=true). On DuckDB a Parquet file numbers
    its own rows (file_row_number, 0-based): the file's order by
    construction, and read in parallel, where `row_number() over ()` is one
    thread over the whole feed (about 2 s of each 5M-row feed at 1M loans,
    benchmarks/README.md). CSV files, and Spark, use file_row_number(), as
    does a Parquet file with a column of that name (DuckDB would refuse to
    add its own).
#}
{% macro feed_file_row_number(path) -%}
    {{ return(adapter.dispatch('feed_file_row_number', 'loans_warehouse')(path)) }}
{%- endmacro %}

{% macro duckdb__feed_file_row_number(path) -%}
    {%- if parquet_numbers_itself(path) -%}
        file_row_number + 1
    {%- else -%}
        {{ file_row_number() }}
    {%- endif -%}
{%- endmacro %}

{% macro default__feed_file_row_number(path) -%}
    {{ file_row_number() }}
{%- endmacro %}

{#- DuckDB: true when the feed reader numbers this file by DuckDB's
    file_row_number, i.e. it is Parquet and has no column of that name. -#}
{% macro parquet_numbers_itself(path) -%}
    {%- if not path.endswith('.parquet') -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set quoted_path = "'" ~ dbt.escape_single_quotes(path) ~ "'" -%}
    {%- set header = run_query("select * from read_parquet(" ~ quoted_path ~ ") limit 0").column_names if execute else [] -%}
    {{ return('file_row_number' not in header | map('lower') | list) }}
{%- endmacro %}
