{#
    The out-of-time rows of the default model, scored twice on the same
    outcome (reaches_dpd_over_30): one row per model (learned, rule_score)
    per evaluation row with a repayment score (rows with nothing due yet have
    no score, so both models are compared on exactly the same rows).

    predicted_probability: the learned model's probability; for the rule
    score, the observed training-window outcome rate of its score band
    (width var score_band_width), so the rule score's Brier score and
    calibration are those of its best use as a probability without looking
    at the evaluation window. A band without training rows takes the
    training-window rate overall.
    risk_score orders the rows riskiest last: the probability (learned) and
    100 - repayment_score (rule: a lower score is riskier). AUC and deciles
    read risk_score, never the raw repayment score.
    A table: eight data tests and three marts would each rejoin the
    frame and the model outputs otherwise.
#}

{%- set band_width = var('score_band_width') %}

with

frame as (
    select * from {{ ref('int_loan_default_training_frame') }}
),

outputs as (
    select * from {{ ref('int_loan_default_model_outputs') }}
    where output_kind = 'prediction' and sample_role = 'evaluation'
),

banded as (
    select
        *,
        floor(repayment_score / {{ band_width }}) as score_band
    from frame
    where repayment_score is not null
),

training_rates as (
    select
        score_band,
        {{ average('case when reaches_dpd_over_30 then 1 else 0 end') }} as band_outcome_rate
    from banded
    where sample_role = 'train'
    group by score_band
),

training_overall as (
    select {{ average('case when reaches_dpd_over_30 then 1 else 0 end') }} as overall_outcome_rate
    from banded
    where sample_role = 'train'
),

evaluation_rows as (
    select * from banded
    where sample_role = 'evaluation'
),

learned as (
    select
        'learned' as model_name,
        evaluation_rows.loan_id,
        evaluation_rows.snapshot_date,
        evaluation_rows.reaches_dpd_over_30,
        evaluation_rows.reaches_dpd_over_90,
        outputs.default_probability as predicted_probability,
        outputs.default_probability as risk_score
    from evaluation_rows
    inner join outputs
        on
            evaluation_rows.loan_id = outputs.loan_id
            and evaluation_rows.snapshot_date = outputs.snapshot_date
    where outputs.default_probability is not null
),

rule_score as (
    select
        'rule_score' as model_name,
        evaluation_rows.loan_id,
        evaluation_rows.snapshot_date,
        evaluation_rows.reaches_dpd_over_30,
        evaluation_rows.reaches_dpd_over_90,
        coalesce(training_rates.band_outcome_rate, training_overall.overall_outcome_rate)
            as predicted_probability,
        100 - evaluation_rows.repayment_score as risk_score
    from evaluation_rows
    cross join training_overall
    left join training_rates
        on evaluation_rows.score_band = training_rates.score_band
),

{#
    Deciles of each model's own rows: one window per model, unpartitioned,
    rather than one partitioned by model_name over both (a quarter of the
    window's CPU time at 1M loans, same deciles).
#}
learned_deciled as (
    select
        *,
        ntile(10) over (order by risk_score, loan_id, snapshot_date) as risk_decile
    from learned
),

rule_score_deciled as (
    select
        *,
        ntile(10) over (order by risk_score, loan_id, snapshot_date) as risk_decile
    from rule_score
),

both_models as (
    select * from learned_deciled
    union all
    select * from rule_score_deciled
),

final as (
    select
        -- ids
        loan_id,
        -- dimensions
        model_name,
        risk_decile,
        -- measures
        cast(predicted_probability as {{ type_double() }}) as predicted_probability,
        cast(risk_score as {{ type_double() }}) as risk_score,
        -- flags
        reaches_dpd_over_30,
        reaches_dpd_over_90,
        -- dates
        snapshot_date
    from both_models
)

select * from final
