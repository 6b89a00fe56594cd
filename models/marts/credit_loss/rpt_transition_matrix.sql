{#
    The month-end transition matrix P of Family A at as_of_date and at the
    month-end before (the allowance movement's opening date): window,
    transition counts and probabilities, one row per (evaluation date,
    from_state, to_state) with all 36 pairs. The BI-facing mart of
    int_credit_loss_transition_matrices (which the PD term structures read):
    its columns are the intermediate's, listed once there and documented and
    tested here (YAML meta bi_facing_mart_of).
#}

with

transition_matrices as (
    select * from {{ ref('int_credit_loss_transition_matrices') }}
),

final as (
    select * from transition_matrices
)

select * from final
