{#
    The PD term structure of Family A at as_of_date and at the month-end
    before: cumulative and marginal PD from each state over 1 ..
    ecl_max_horizon_months months. One row per (evaluation date, state,
    horizon).
#}

with

evaluation_dates as (
    select * from {{ ref('int_credit_loss_evaluation_dates') }}
),

pd_term_structures as (
    select * from {{ ref('int_credit_loss_pd_term_structures') }}
),

final as (
    select
        -- dimensions
        pd_term_structures.from_state,
        pd_term_structures.from_state_order,
        pd_term_structures.horizon_months,
        -- measures
        pd_term_structures.cumulative_pd,
        pd_term_structures.marginal_pd,
        -- flags
        evaluation_dates.is_as_of_date,
        -- dates
        pd_term_structures.evaluation_date
    from pd_term_structures
    inner join evaluation_dates
        on pd_term_structures.evaluation_date = evaluation_dates.evaluation_date
)

select * from final
