{#
    The month-end transition matrix P of Family A at as_of_date and at the
    month-end before (the allowance movement's opening date): window,
    transition counts and probabilities, one row per (evaluation date,
    from_state, to_state) with all 36 pairs.
#}

with

evaluation_dates as (
    select * from {{ ref('int_credit_loss_evaluation_dates') }}
),

transition_matrices as (
    select * from {{ ref('int_credit_loss_transition_matrices') }}
),

final as (
    select
        -- dimensions
        transition_matrices.from_state,
        transition_matrices.to_state,
        transition_matrices.from_state_order,
        transition_matrices.to_state_order,
        -- measures
        transition_matrices.transitions_count,
        transition_matrices.from_state_transitions_count,
        transition_matrices.transition_probability,
        -- flags
        transition_matrices.is_absorbing_state,
        transition_matrices.is_unobserved_state,
        evaluation_dates.is_as_of_date,
        -- dates
        transition_matrices.evaluation_date,
        transition_matrices.window_first_month_end_date,
        transition_matrices.window_last_month_end_date
    from transition_matrices
    inner join evaluation_dates
        on transition_matrices.evaluation_date = evaluation_dates.evaluation_date
)

select * from final
