{#
    The IFRS 9 expected credit loss of every active Family A loan at
    as_of_date: stage and reason, state, horizon, 12-month and lifetime PD,
    LGD, EAD (= gross carrying amount, principal outstanding), ECL, the
    allowance booked (ECL to the cent) and coverage = ECL / EAD.
#}

with

expected_credit_losses as (
    select * from {{ ref('int_loan_expected_credit_losses') }}
),

evaluation_dates as (
    select * from {{ ref('int_credit_loss_evaluation_dates') }}
    where is_as_of_date
),

final as (
    select
        -- ids
        expected_credit_losses.loan_id,
        -- dimensions
        expected_credit_losses.stage,
        expected_credit_losses.stage_reason,
        expected_credit_losses.credit_state,
        -- measures
        expected_credit_losses.days_past_due,
        expected_credit_losses.remaining_term_months,
        expected_credit_losses.horizon_months,
        expected_credit_losses.pd_12m,
        expected_credit_losses.pd_lifetime,
        expected_credit_losses.lgd,
        expected_credit_losses.ead_amount,
        expected_credit_losses.ecl_amount,
        expected_credit_losses.allowance_amount,
        expected_credit_losses.coverage_ratio,
        -- flags
        expected_credit_losses.is_lgd_fallback,
        -- dates
        evaluation_dates.as_of_date
    from expected_credit_losses
    inner join evaluation_dates
        on expected_credit_losses.evaluation_date = evaluation_dates.evaluation_date
)

select * from final
