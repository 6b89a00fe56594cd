{#
    The statement creating a plain (unpartitioned) table from a query,
    whatever the calling model's own config (dbt's create_table_as would
    apply the model's partition_by on Spark). Used for companion tables a
    model writes in a hook.
#}
{% macro create_plain_table_as(relation, sql) -%}
    {{ return(adapter.dispatch('create_plain_table_as', 'loans_warehouse')(relation, sql)) }}
{%- endmacro %}

{% macro default__create_plain_table_as(relation, sql) -%}
    create table {{ relation }} as {{ sql }}
{%- endmacro %}

{% macro spark__create_plain_table_as(relation, sql) -%}
    create table {{ relation }} using parquet as {{ sql }}
{%- endmacro %}
