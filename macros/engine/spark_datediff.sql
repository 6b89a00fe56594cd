{#
    dbt's datediff on Spark, as DuckDB computes it. Found through the dispatch
    search order (dbt_project.yml) before dbt-spark's own, which wraps every
    step in assert_true/unix-timestamp arithmetic: nested (a last_day of a
    dateadd of a date_trunc) the expression tree grows exponentially and
    Spark's optimizer never finishes a model.
    The number of datepart boundaries crossed from the first to the second
    date (DuckDB's date_diff): whole days between the dates, or year * 12 +
    month differences, not Spark's timestampdiff (whole elapsed units).
#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- set unit = datepart | lower -%}
    {%- set first = 'cast(' ~ first_date ~ ' as timestamp)' -%}
    {%- set second = 'cast(' ~ second_date ~ ' as timestamp)' -%}
    {%- if unit == 'day' -%}
        datediff(cast({{ second }} as date), cast({{ first }} as date))
    {%- elif unit == 'month' -%}
        ((year({{ second }}) - year({{ first }})) * 12 + month({{ second }}) - month({{ first }}))
    {%- elif unit == 'quarter' -%}
        ((year({{ second }}) - year({{ first }})) * 4 + quarter({{ second }}) - quarter({{ first }}))
    {%- elif unit == 'year' -%}
        (year({{ second }}) - year({{ first }}))
    {%- elif unit in ['hour', 'minute', 'second'] -%}
        {%- set seconds = {'hour': 3600, 'minute': 60, 'second': 1}[unit] -%}
        (floor(unix_timestamp({{ second }}) / {{ seconds }}) - floor(unix_timestamp({{ first }}) / {{ seconds }}))
    {%- else -%}
        {{ exceptions.raise_compiler_error("spark__datediff: unsupported datepart '" ~ datepart ~ "'") }}
    {%- endif -%}
{%- endmacro %}
