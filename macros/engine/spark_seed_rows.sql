{#
    Seeds on Spark, loaded in file order. dbt-spark inserts a seed as
    batches of `insert ... values`, each written by several tasks: read back,
    the rows come in file-size order, and the feed reader's
    source_row_number (which of two repeated keys is "the first in the file")
    would differ from DuckDB's. With the session method (Spark on the machine
    holding the seed files) the CSV is read by Spark itself and written by one
    task (COALESCE(1)), so the table holds the rows in file order; other
    methods keep dbt-spark's loader (the cluster cannot read the local file).
    Overrides dbt's load_csv_rows through the dispatch search order
    (dbt_project.yml).
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- if adapter.config.credentials.method != 'session' -%}
        {{ return(spark__load_csv_rows_in_batches(model, agate_table)) }}
    {%- endif -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set seed_path = model['root_path'] ~ '/' ~ model['original_file_path'] -%}
    {%- set view_name = 'loans_seed_' ~ model['name'] -%}
    {%- call statement('seed_file_view') -%}
        create or replace temporary view {{ view_name }} using csv options (
            path '{{ dbt.escape_single_quotes(seed_path) }}',
            header 'true', inferSchema 'false', multiLine 'true', escape '"', encoding 'UTF-8'
        )
    {%- endcall -%}
    {%- set sql -%}
        insert into {{ this.render() }}
        select /*+ COALESCE(1) */
            {%- for col_name in agate_table.column_names %}
            {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) %}
            cast({{ adapter.quote(col_name | string) }} as {{ column_override.get(col_name, inferred_type) }})
            {{- ',' if not loop.last }}
            {%- endfor %}
        from {{ view_name }}
    {%- endset -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {{ return(sql) }}
{% endmacro %}

{% macro spark__load_csv_rows_in_batches(model, agate_table) %}
    {{ return(dbt.spark__load_csv_rows(model, agate_table)) }}
{% endmacro %}
