{#
    The instalment schedule of each Family A loan, from its cumulative plan.
    The cumulative plan may step down (a data-quality flag); the schedule
    uses its running maximum, so an instalment is never negative.
    Table: read by int_loan_instalments_covered and int_loans_disbursed.
#}

with

plan_points as (
    select * from {{ ref('stg_family_a__plans') }}
),

with_previous_maximum as (
    select
        loan_id,
        planned_date,
        planned_cumulative_amount,
        row_number() over (
            partition by loan_id
            order by planned_date
        ) as instalment_number,
        max(planned_cumulative_amount) over (
            partition by loan_id
            order by planned_date
            rows between unbounded preceding and 1 preceding
        ) as previous_maximum_amount
    from plan_points
),

final as (
    select
        -- ids
        loan_id,
        instalment_number,
        -- measures
        planned_cumulative_amount,
        greatest(
            planned_cumulative_amount, coalesce(previous_maximum_amount, 0)
        ) as scheduled_cumulative_amount,
        greatest(
            planned_cumulative_amount - coalesce(previous_maximum_amount, 0), 0
        ) as instalment_amount,
        -- flags
        coalesce(
            planned_cumulative_amount < previous_maximum_amount, false
        ) as is_plan_step_down,
        -- dates
        planned_date
    from with_previous_maximum
)

select * from final
