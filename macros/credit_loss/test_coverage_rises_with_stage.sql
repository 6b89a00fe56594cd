{#
    Generic test on rpt_ecl_by_stage: coverage (ECL / gross carrying amount)
    rises with the stage, stage 1 < stage 2 < stage 3, over the stages that
    hold loans. Fails with the stage whose coverage is not above the one
    before.
#}
{% test coverage_rises_with_stage(model, column_name) %}
    with

    ordered as (
        select
            stage,
            {{ column_name }} as coverage,
            lag({{ column_name }}) over (order by stage) as previous_coverage
        from {{ model }}
        where loans > 0
    )

    select * from ordered
    where coverage <= previous_coverage
{% endtest %}
