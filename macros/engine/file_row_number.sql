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
