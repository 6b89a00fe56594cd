{#
    The month-end transition matrix P of Family A at as_of_date and at the
    month-end before (the allowance movement's opening date): window,
    transition counts and probabilities, one row per (evaluation date,
    from_state, to_state) with all 36 pairs. The BI-facing mart of
    int_credit_loss_transition_matrices (YAML meta bi_facing_mart_of): its
    column list repeats the intermediate's on purpose, as the published
    interface (a column added upstream reaches BI only when added here).
#}

with

transition_matrices as (
    select * from {{ ref('int_credit_loss_transition_matrices') }}
),

final as (
    select
        -- dimensions
        from_state,
        to_state,
        from_state_order,
        to_state_order,
        -- measures
        transitions_count,
        from_state_transitions_count,
        transition_probability,
        -- flags
        is_absorbing_state,
        is_unobserved_state,
        is_as_of_date,
        -- dates
        evaluation_date,
        window_first_month_end_date,
        window_last_month_end_date
    from transition_matrices
)

select * from final
