{#
    Generic test on rpt_allowance_movement: per stage, the opening
    allowance plus every movement line equals the closing allowance to the
    cent, and each transfer line sums to 0 over the stages (a transfer moves
    an allowance, it creates none). Fails with the stages / lines that do
    not.
#}
{% test allowance_movement_reconciles(model) %}
    with

    per_stage as (
        select
            cast(stage as {{ dbt.type_string() }}) as checked,
            sum(case when movement <> 'closing' then allowance_amount else 0 end) as lines_amount,
            sum(case when movement = 'closing' then allowance_amount else 0 end) as closing_amount
        from {{ model }}
        group by stage
    ),

    transfers as (
        select
            movement as checked,
            sum(allowance_amount) as lines_amount,
            0 as closing_amount
        from {{ model }}
        where movement like 'transfer_to_stage_%'
        group by movement
    ),

    checks as (
        select * from per_stage
        union all
        select * from transfers
    )

    select * from checks
    where abs(lines_amount - closing_amount) >= 0.005
{% endtest %}
