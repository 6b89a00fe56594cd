{#
    dbt's date macros on Spark, as DuckDB computes them. Found through the
    dispatch search order (dbt_project.yml) before dbt-spark's own, which
    wrap every step in assert_true/unix-timestamp arithmetic: nested (a
    last_day of a dateadd of a date_trunc) the expression tree grows
    exponentially and Spark's optimizer never finishes a model.

    - dateadd: a timestamp, months clamped to the month's last day (Jan 31
      + 1 month = Feb 28/29), like DuckDB's `x + n * interval 1 month`;
    - datediff: the number of datepart boundaries crossed from the first to
      the second date (DuckDB's date_diff): whole days between the dates,
      or year * 12 + month differences, not Spark's timestampdiff (whole
      elapsed units);
    - last_day: a date.
#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set unit = datepart | lower -%}
    {%- if unit not in ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'] -%}
        {{ exceptions.raise_compiler_error("spark__dateadd: unsupported datepart '" ~ datepart ~ "'") }}
    {%- endif -%}
    timestampadd({{ unit | upper }}, cast({{ interval }} as int), cast({{ from_date_or_timestamp }} as timestamp))
{%- endmacro %}

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
