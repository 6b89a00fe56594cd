{#
    Engine-specific file access used by the feed reader. DuckDB reads CSV and
    Parquet itself; another engine (Spark) implements its own pair here.
#}

{#- Paths of the files directly inside a folder (run at execute time). -#}
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
        ~ adapter.type() ~ "__list_files and " ~ adapter.type() ~ "__feed_file_relation in macros/engine/files.sql."
    ) }}
{%- endmacro %}


{#- A relation expression reading one feed file with every column as text. -#}
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
