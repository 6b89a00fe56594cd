{#
    dbt's last_day on Spark, as DuckDB computes it. Found through the dispatch
    search order (dbt_project.yml) before dbt-spark's own, which wraps every
    step in assert_true/unix-timestamp arithmetic: nested (a last_day of a
    dateadd of a date_trunc) the expression tree grows exponentially and
    Spark's optimizer never finishes a model.
    A date: the last day of the month, quarter or year.
#}
{% macro spark__last_day(date, datepart) -%}
    {%- set unit = datepart | lower -%}
    {%- if unit == 'month' -%}
        last_day({{ date }})
    {%- elif unit in ['quarter', 'year'] -%}
        date_add(add_months(trunc({{ date }}, '{{ unit }}'), {{ 3 if unit == 'quarter' else 12 }}), -1)
    {%- else -%}
        {{ exceptions.raise_compiler_error("spark__last_day: unsupported datepart '" ~ datepart ~ "'") }}
    {%- endif -%}
{%- endmacro %}
