{#
    month_end_series: a select yielding one row per calendar month from the
    month of `first_date` to the month of `last_date` (both SQL expressions
    over the one-row relation `bounds_relation`), with columns
    month_start_date and month_end_date. No rows when either date is null.

    DuckDB unnests generate_series over an interval; the default builds the
    months from dbt's portable number series (up to 1,200 months).
#}
{% macro month_end_series(bounds_relation, first_date, last_date) -%}
    {{ return(adapter.dispatch('month_end_series', 'loans_warehouse')(bounds_relation, first_date, last_date)) }}
{%- endmacro %}

{% macro duckdb__month_end_series(bounds_relation, first_date, last_date) -%}
    select
        cast(month_start as date) as month_start_date,
        {{ dbt.last_day('cast(month_start as date)', 'month') }} as month_end_date
    from (
        select
            unnest(generate_series(
                {{ dbt.date_trunc('month', first_date) }},
                {{ dbt.date_trunc('month', last_date) }},
                interval 1 month
            )) as month_start
        from {{ bounds_relation }}
    ) as months
{%- endmacro %}

{% macro default__month_end_series(bounds_relation, first_date, last_date) -%}
    select
        month_start_date,
        {{ dbt.last_day('month_start_date', 'month') }} as month_end_date
    from (
        select
            cast({{ dbt.dateadd(
                'month', 'numbers.generated_number - 1', dbt.date_trunc('month', first_date)
            ) }} as date) as month_start_date,
            cast({{ dbt.date_trunc('month', last_date) }} as date) as last_month_start_date
        from {{ bounds_relation }}
        cross join ({{ dbt.generate_series(1200) }}) as numbers
    ) as months
    where month_start_date <= last_month_start_date
{%- endmacro %}
