{#
    How well the learned default model and the rule repayment score rank and
    predict the same out-of-time outcome (an active loan not yet more than 30
    days past due reaches DPD > 30 at one of the next three month-ends): one
    row per model.

    AUC = probability that a loan with the outcome is ranked riskier than
    one without (Mann-Whitney rank sum, ties counted half), on risk_score
    (the rule score's risk direction: 100 - score). Brier = mean squared
    error of the predicted probability. The verdict says plainly whether the
    learned model beats the rule score on this window; it is not tuned until
    it does.
#}

with

evaluations as (
    select * from {{ ref('int_default_model_evaluations') }}
),

frame as (
    select * from {{ ref('int_loan_default_training_frame') }}
),

outputs as (
    select * from {{ ref('int_loan_default_model_outputs') }}
),

{# Average rank of each row (ties share the mean of their ranks). #}
ranked as (
    select
        model_name,
        reaches_dpd_over_30,
        predicted_probability,
        rank() over (partition by model_name order by risk_score)
        + (count(*) over (partition by model_name, risk_score) - 1) / 2.0 as average_rank
    from evaluations
),

measured as (
    select
        model_name,
        count(*) as evaluation_rows_count,
        cast(
            sum(case when reaches_dpd_over_30 then 1 else 0 end) as {{ dbt.type_bigint() }}
        ) as outcomes_count,
        sum(case when reaches_dpd_over_30 then average_rank else 0 end) as outcome_rank_sum,
        {{ average(
            '(predicted_probability - case when reaches_dpd_over_30 then 1 else 0 end)
            * (predicted_probability - case when reaches_dpd_over_30 then 1 else 0 end)'
        ) }} as brier_score
    from ranked
    group by model_name
),

scored as (
    select
        model_name,
        evaluation_rows_count,
        outcomes_count,
        {{ safe_divide('outcomes_count', 'evaluation_rows_count') }} as outcome_rate,
        {{ safe_divide(
            'outcome_rank_sum - outcomes_count * (outcomes_count + 1) / 2.0',
            'outcomes_count * (evaluation_rows_count - outcomes_count)'
        ) }} as auc,
        brier_score
    from measured
),

windows as (
    select
        min(case when sample_role = 'train' then snapshot_date end) as training_window_start_date,
        max(case when sample_role = 'train' then snapshot_date end) as training_window_end_date,
        min(case when sample_role = 'evaluation' then snapshot_date end)
            as evaluation_window_start_date,
        max(case when sample_role = 'evaluation' then snapshot_date end)
            as evaluation_window_end_date,
        cast(
            sum(case when sample_role = 'train' then 1 else 0 end) as {{ dbt.type_bigint() }}
        ) as training_rows_count
    from frame
),

model_status as (
    select max(model_status) as model_status
    from outputs
),

rule_auc as (
    select auc as rule_score_auc
    from scored
    where model_name = 'rule_score'
),

final as (
    select
        -- dimensions
        scored.model_name,
        case
            when scored.model_name = 'learned' then 'Learned model (gradient-boosted trees)'
            else 'Rule repayment score'
        end as model_label,
        -- measures
        windows.training_rows_count,
        scored.evaluation_rows_count,
        scored.outcomes_count,
        cast(scored.outcome_rate as {{ type_double() }}) as outcome_rate,
        cast(scored.auc as {{ type_double() }}) as auc,
        cast(scored.brier_score as {{ type_double() }}) as brier_score,
        cast(scored.auc - rule_auc.rule_score_auc as {{ type_double() }})
            as auc_minus_rule_score_auc,
        -- flags
        case
            when scored.model_name = 'learned' then scored.auc > rule_auc.rule_score_auc
        end as beats_rule_score,
        -- text
        case
            when scored.model_name = 'rule_score' then 'reference: the rule score on the same rows'
            when scored.auc is null then 'no verdict: the window holds only one outcome'
            when scored.auc > rule_auc.rule_score_auc
                then 'the learned model ranks better than the rule score on this out-of-time window'
            else 'the learned model does NOT beat the rule score out of time: keep the rule score'
        end as verdict,
        model_status.model_status,
        -- dates
        windows.training_window_start_date,
        windows.training_window_end_date,
        windows.evaluation_window_start_date,
        windows.evaluation_window_end_date
    from scored
    cross join windows
    cross join model_status
    cross join rule_auc
)

select * from final
