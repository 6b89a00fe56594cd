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
    numbered_feed_file: a feed file to number in read order, as
    {'relation': what to select from, 'row_number': the source_row_number
    expression}. On DuckDB a Parquet file numbers its own rows
    (file_row_number, 0-based): the file's order by construction, and read
    in parallel, where `row_number() over ()` is one thread over the whole
    feed (about 2 s of each 5M-row feed at 1M loans, benchmarks/README.md).
    CSV files, Spark, and a Parquet file with a column of that name (DuckDB
    would refuse to add its own) use feed_file_relation and file_row_number().
#}
{% macro numbered_feed_file(path) -%}
    {{ return(adapter.dispatch('numbered_feed_file', 'loans_warehouse')(path)) }}
{%- endmacro %}

{% macro duckdb__numbered_feed_file(path) -%}
    {%- if path.endswith('.parquet') and execute -%}
        {%- set quoted_path = "'" ~ dbt.escape_single_quotes(path) ~ "'" -%}
        {%- set header = run_query("select * from read_parquet(" ~ quoted_path ~ ") limit 0").column_names -%}
        {%- if 'file_row_number' not in header | map('lower') | list -%}
            {{ return({
                'relation': 'read_parquet(' ~ quoted_path ~ ', file_row_number = true)',
                'row_number': 'file_row_number + 1',
            }) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(default__numbered_feed_file(path)) }}
{%- endmacro %}

{% macro default__numbered_feed_file(path) -%}
    {{ return({'relation': feed_file_relation(path), 'row_number': file_row_number()}) }}
{%- endmacro %}
