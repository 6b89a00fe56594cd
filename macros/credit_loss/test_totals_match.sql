{#
    Generic test: the sum of column_name over the rows of the model matching
    `where` equals the sum of `compare_column` over compare_model (matching
    `compare_where`), within `tolerance`. E.g. the closing allowance of the
    movement equals the allowance of the ECL table.
#}
{% test totals_match(model, column_name, compare_model, compare_column, where_sql='1 = 1', compare_where='1 = 1', tolerance=0.005) %}
    with

    model_total as (
        select coalesce(sum({{ column_name }}), 0) as total
        from {{ model }}
        where {{ where_sql }}
    ),

    compare_total as (
        select coalesce(sum({{ compare_column }}), 0) as total
        from {{ compare_model }}
        where {{ compare_where }}
    )

    select
        model_total.total as model_total,
        compare_total.total as compare_total
    from model_total
    cross join compare_total
    where abs(model_total.total - compare_total.total) > {{ tolerance }}
{% endtest %}
