{#
    What the learned default model leans on: one row per feature, the mean
    (and standard deviation over five shuffles) drop in out-of-time AUC when
    that feature's values are permuted among the evaluation rows. Near 0 =
    the model does not need the feature; negative = noise. Ranked 1 = most
    important. Empty when the model could not be fitted or the window holds
    one outcome only.
#}

with

outputs as (
    select * from {{ ref('int_loan_default_model_outputs') }}
    where output_kind = 'feature_importance'
),

final as (
    select
        -- dimensions
        feature_name,
        row_number() over (order by importance_mean desc, feature_name asc) as importance_rank,
        -- measures
        cast(importance_mean as {{ type_double() }}) as auc_drop_mean,
        cast(importance_std as {{ type_double() }}) as auc_drop_std
    from outputs
)

select * from final
