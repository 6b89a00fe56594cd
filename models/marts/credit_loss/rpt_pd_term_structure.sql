{#
    The PD term structure of Family A at as_of_date and at the month-end
    before: cumulative and marginal PD from each state over 1 ..
    ecl_max_horizon_months months. One row per (evaluation date, state,
    horizon).
#}

with

pd_term_structures as (
    select * from {{ ref('int_credit_loss_pd_term_structures') }}
),

final as (
    select
        -- dimensions
        from_state,
        from_state_order,
        horizon_months,
        -- measures
        cumulative_pd,
        marginal_pd,
        -- flags
        is_as_of_date,
        -- dates
        evaluation_date
    from pd_term_structures
)

select * from final
