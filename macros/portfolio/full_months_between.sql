{#
    Whole calendar months from start_date to end_date: the number of times a
    monthly instalment date (start_date + k months, clipped to month end) has
    been reached by end_date. A plain month datediff counts month boundaries
    (2024-01-31 -> 2024-02-01 is 1); this subtracts the last month when its
    anniversary falls after end_date (2024-01-31 -> 2024-02-28 is 0,
    -> 2024-02-29 is 1). Negative when end_date is before start_date.
    Built from dbt's cross-database datediff / dateadd only.
#}
{% macro full_months_between(start_date, end_date) -%}
    {%- set boundaries = dbt.datediff(start_date, end_date, 'month') -%}
    (
        {{ boundaries }}
        - case
            when {{ dbt.dateadd('month', boundaries, start_date) }} > {{ end_date }} then 1
            else 0
        end
    )
{%- endmacro %}
