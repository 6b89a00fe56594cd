{#
    Paths of the files directly inside a folder (run at execute time): the
    feed reader's directory listing. Engine-specific, dispatched: DuckDB
    globs the folder itself; another engine (Spark) adds its own
    <adapter>__list_files here and <adapter>__feed_file_relation beside it.
#}
{% macro list_files(directory) -%}
    {{ return(adapter.dispatch('list_files', 'loans_warehouse')(directory)) }}
{%- endmacro %}

{% macro duckdb__list_files(directory) -%}
    {%- set pattern = directory.rstrip('/') ~ '/*' -%}
    {%- set result = run_query("select file from glob('" ~ dbt.escape_single_quotes(pattern) ~ "') order by file") -%}
    {{ return(result.columns[0].values() | list) }}
{%- endmacro %}

{% macro default__list_files(directory) -%}
    {{ exceptions.raise_compiler_error(
        "Reading raw_dir is not implemented for adapter '" ~ adapter.type() ~ "': add "
        ~ adapter.type() ~ "__list_files and " ~ adapter.type() ~ "__feed_file_relation in macros/engine/list_files.sql and feed_file_relation.sql."
    ) }}
{%- endmacro %}

{#
    Spark lists a folder through its binaryFile source, selecting only the
    path (the content is not read). Paths come back as URIs (file:/...,
    hdfs://..., s3a://...): on a cluster raw_dir must be a path every
    executor can read, not a folder on the machine running dbt.
#}
{% macro spark__list_files(directory) -%}
    {%- set quoted_directory = dbt.escape_single_quotes(directory.rstrip('/')) -%}
    {%- set result = run_query(
        "select path from binaryFile.`" ~ quoted_directory ~ "` order by path"
    ) -%}
    {{ return(result.columns[0].values() | list) }}
{%- endmacro %}
