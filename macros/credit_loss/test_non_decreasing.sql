{#
    Generic test: column_name never decreases along `order_by` within each
    group of `partition_by` columns (a decrease beyond `tolerance` fails).
#}
{% test non_decreasing(model, column_name, partition_by, order_by, tolerance=1e-12) %}
    with

    ordered as (
        select
            {{ partition_by | join(', ') }},
            {{ order_by }},
            {{ column_name }} as value,
            lag({{ column_name }}) over (
                partition by {{ partition_by | join(', ') }}
                order by {{ order_by }}
            ) as previous_value
        from {{ model }}
    )

    select * from ordered
    where value < previous_value - {{ tolerance }}
{% endtest %}
