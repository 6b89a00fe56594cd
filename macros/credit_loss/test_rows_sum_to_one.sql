{#
    Generic test: within each group of `group_by` columns, column_name sums
    to 1 (within `tolerance`). Fails with the groups that do not.
#}
{% test rows_sum_to_one(model, column_name, group_by, tolerance=1e-9) %}
    select
        {{ group_by | join(', ') }},
        sum({{ column_name }}) as row_sum
    from {{ model }}
    group by {{ group_by | join(', ') }}
    having abs(sum({{ column_name }}) - 1) > {{ tolerance }}
{% endtest %}
