{#
    The expected credit loss of each active Family A loan at each evaluation
    date d, with d's own PD term structure and LGD.
    Remaining term R = max(1, calendar months from d's month to the month of
    the loan's last planned date), capped at var ecl_max_horizon_months.
    Horizon H: stage 1 min(12, R), stage 2 R.
    Stage 3: ECL = LGD x EAD. Stages 1 and 2: ECL = LGD x sum over
    t = 1 .. H of mPD_i(t) x EAD_t x DF_t, i = the loan's state at d,
    DF_t = (1 + r/12)^-t, r = var ecl_discount_rate_annual.
    pd_12m = cPD_i(min(12, R)), pd_lifetime = cPD_i(R) (both 1 in stage 3).
    EAD_t is a step function (int_loan_exposures_scheduled), so the sum is
    taken per step from the running sum W_i(h) = sum of mPD_i(t) x DF_t for
    t <= h: a step [a, b] adds EAD_step x (W_i(min(b, H)) - W_i(a - 1)),
    which is the month-by-month sum exactly, without a row per loan and
    month. allowance_amount is the ECL rounded to the cent: the amount
    booked, which the stage tables and the allowance movement add up.
#}

{%- set max_horizon = var('ecl_max_horizon_months') %}
{%- set annual_rate = var('ecl_discount_rate_annual') %}

with

stages as (
    select * from {{ ref('int_loan_credit_stages') }}
),

exposures as (
    select * from {{ ref('int_loan_exposures_scheduled') }}
),

pd_term_structures as (
    select * from {{ ref('int_credit_loss_pd_term_structures') }}
),

lgd_estimates as (
    select * from {{ ref('int_credit_loss_lgd_estimates') }}
),

discounted_pds as (
    select
        evaluation_date,
        from_state,
        horizon_months,
        cumulative_pd,
        sum(
            marginal_pd
            * power(1 + cast({{ annual_rate }} as {{ type_double() }}) / 12, -horizon_months)
        ) over (
            partition by evaluation_date, from_state
            order by horizon_months
            rows between unbounded preceding and current row
        ) as cumulative_discounted_pd
    from pd_term_structures
),

loans as (
    select distinct
        evaluation_date,
        loan_id,
        ead_amount,
        remaining_schedule_amount,
        remaining_term_months,
        least(remaining_term_months, {{ max_horizon }}) as capped_term_months
    from exposures
),

horizons as (
    select
        stages.evaluation_date,
        stages.is_as_of_date,
        stages.loan_id,
        stages.stage,
        stages.stage_reason,
        stages.credit_state,
        stages.days_past_due,
        loans.ead_amount,
        loans.remaining_schedule_amount,
        loans.remaining_term_months,
        loans.capped_term_months,
        case
            when stages.stage = 1 then least(12, loans.capped_term_months)
            else loans.capped_term_months
        end as horizon_months
    from stages
    inner join loans
        on
            stages.evaluation_date = loans.evaluation_date
            and stages.loan_id = loans.loan_id
),

step_losses as (
    select
        horizons.evaluation_date,
        horizons.loan_id,
        {{ exact_sum(
            'exposures.step_ead_amount
            * (step_end.cumulative_discounted_pd - coalesce(step_start.cumulative_discounted_pd, 0))'
        ) }} as expected_exposure_at_default_amount
    from horizons
    inner join exposures
        on
            horizons.evaluation_date = exposures.evaluation_date
            and horizons.loan_id = exposures.loan_id
            and horizons.horizon_months >= exposures.first_month
    inner join discounted_pds as step_end
        on
            horizons.evaluation_date = step_end.evaluation_date
            and horizons.credit_state = step_end.from_state
            and least(exposures.last_month, horizons.horizon_months) = step_end.horizon_months
    left join discounted_pds as step_start
        on
            horizons.evaluation_date = step_start.evaluation_date
            and horizons.credit_state = step_start.from_state
            and exposures.first_month - 1 = step_start.horizon_months
    where horizons.stage < 3
    group by horizons.evaluation_date, horizons.loan_id
),

measured as (
    select
        horizons.*,
        lgd_estimates.lgd,
        lgd_estimates.is_fallback_used as is_lgd_fallback,
        case
            when horizons.stage = 3 then 1
            else pd_12m.cumulative_pd
        end as pd_12m,
        case
            when horizons.stage = 3 then 1
            else pd_lifetime.cumulative_pd
        end as pd_lifetime,
        case
            when horizons.stage = 3 then lgd_estimates.lgd * horizons.ead_amount
            else lgd_estimates.lgd * step_losses.expected_exposure_at_default_amount
        end as ecl_amount
    from horizons
    inner join lgd_estimates
        on horizons.evaluation_date = lgd_estimates.evaluation_date
    left join discounted_pds as pd_12m
        on
            horizons.evaluation_date = pd_12m.evaluation_date
            and horizons.credit_state = pd_12m.from_state
            and least(12, horizons.capped_term_months) = pd_12m.horizon_months
    left join discounted_pds as pd_lifetime
        on
            horizons.evaluation_date = pd_lifetime.evaluation_date
            and horizons.credit_state = pd_lifetime.from_state
            and horizons.capped_term_months = pd_lifetime.horizon_months
    left join step_losses
        on
            horizons.evaluation_date = step_losses.evaluation_date
            and horizons.loan_id = step_losses.loan_id
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
        cast(pd_12m as {{ type_double() }}) as pd_12m,
        cast(pd_lifetime as {{ type_double() }}) as pd_lifetime,
        cast(lgd as {{ type_double() }}) as lgd,
        ead_amount,
        remaining_schedule_amount,
        cast(ecl_amount as {{ type_double() }}) as ecl_amount,
        cast({{ round_half_up('ecl_amount') }} as decimal(18, 2)) as allowance_amount,
        cast({{ safe_divide('ecl_amount', 'ead_amount') }} as {{ type_double() }})
            as coverage_ratio,
        -- flags
        is_lgd_fallback,
        is_as_of_date,
        -- dates
        evaluation_date
    from measured
)

select * from final
