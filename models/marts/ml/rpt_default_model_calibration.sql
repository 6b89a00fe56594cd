{#
    Calibration of the learned default model and of the rule score on the
    out-of-time rows: one row per model per risk decile (1 = least risky,
    10 = riskiest, by risk_score): rows, mean predicted probability,
    observed rate of the outcome (DPD > 30 at one of the next three
    month-ends) and their difference. A calibrated model has mean predicted
    close to observed in every decile.
#}

{%- set outcome = 'case when reaches_dpd_over_30 then 1 else 0 end' %}

with

evaluations as (
    select * from {{ ref('int_default_model_evaluations') }}
),

final as (
    select
        -- dimensions
        model_name,
        risk_decile,
        -- measures
        count(*) as rows_count,
        cast(
            sum(case when reaches_dpd_over_30 then 1 else 0 end) as {{ dbt.type_bigint() }}
        ) as outcomes_count,
        {{ average('predicted_probability') }} as mean_predicted_probability,
        {{ average(outcome) }} as observed_outcome_rate,
        {{ average('predicted_probability') }} - {{ average(outcome) }} as calibration_gap,
        min(risk_score) as min_risk_score,
        max(risk_score) as max_risk_score
    from evaluations
    group by model_name, risk_decile
)

select * from final
