{#
    Fails with one row per combination of the given columns that occurs more
    than once (our stand-in for dbt_utils.unique_combination_of_columns).
    Proven able to fail by the fixture tests on seeds/testing/generic_test_fixture.csv.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

grouped as (
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
)

select * from grouped
where occurrences > 1

{% endtest %}
