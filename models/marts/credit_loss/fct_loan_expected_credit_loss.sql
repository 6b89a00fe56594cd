{#
    The IFRS 9 expected credit loss of every active Family A loan at
    as_of_date: stage and reason, state, horizon, 12-month and lifetime PD,
    LGD, EAD (= gross carrying amount, principal outstanding), ECL, the
    allowance booked (ECL to the cent) and coverage = ECL / EAD.
#}

with

expected_credit_losses as (
    select * from {{ ref('int_loan_expected_credit_losses') }}
    where is_as_of_date
),

final as (
    select
        -- ids
        loan_id,
        -- dimensions
        stage,
        stage_reason,
        credit_state,
        -- measures
        days_past_due,
        remaining_term_months,
        horizon_months,
        pd_12m,
        pd_lifetime,
        lgd,
        ead_amount,
        ecl_amount,
        allowance_amount,
        coverage_ratio,
        -- flags
        is_lgd_fallback,
        -- dates
        evaluation_date as as_of_date
    from expected_credit_losses
)

select * from final
