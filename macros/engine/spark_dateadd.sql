{#
    dbt's dateadd on Spark, as DuckDB computes it. Found through the dispatch
    search order (dbt_project.yml) before dbt-spark's own, which wraps every
    step in assert_true/unix-timestamp arithmetic: nested (a last_day of a
    dateadd of a date_trunc) the expression tree grows exponentially and
    Spark's optimizer never finishes a model.
    A timestamp, months clamped to the month's last day (Jan 31 + 1 month
    = Feb 28/29), like DuckDB's `x + n * interval 1 month`.
#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set unit = datepart | lower -%}
    {%- if unit not in ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'] -%}
        {{ exceptions.raise_compiler_error("spark__dateadd: unsupported datepart '" ~ datepart ~ "'") }}
    {%- endif -%}
    timestampadd({{ unit | upper }}, cast({{ interval }} as int), cast({{ from_date_or_timestamp }} as timestamp))
{%- endmacro %}
