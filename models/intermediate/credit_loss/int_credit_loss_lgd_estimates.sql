{#
    The portfolio workout LGD of each evaluation date: the EAD-weighted mean
    of the loan LGDs of the defaults whose workout window ended on or before
    the date (int_loan_default_workouts, EAD_default > 0). With fewer than
    var lgd_min_defaults observations the LGD applied is var lgd_fallback,
    and is_fallback_used says so.
    A table: its data tests and readers would each redo the workouts
    otherwise.
#}

{%- set min_defaults = var('lgd_min_defaults') %}
{%- set fallback = var('lgd_fallback') %}
{%- if fallback is not number or fallback < 0 or fallback > 1 %}
    {{ exceptions.raise_compiler_error("var lgd_fallback must be a number within [0, 1], got " ~ fallback) }}
{%- endif %}
{%- if min_defaults is not number or min_defaults < 1 %}
    {{ exceptions.raise_compiler_error("var lgd_min_defaults must be a whole number >= 1, got " ~ min_defaults) }}
{%- endif %}

with

evaluation_dates as (
    select * from {{ ref('int_credit_loss_evaluation_dates') }}
),

workouts as (
    select * from {{ ref('int_loan_default_workouts') }}
    where is_lgd_observation
),

observed as (
    select
        evaluation_dates.evaluation_date,
        evaluation_dates.is_as_of_date,
        count(workouts.loan_id) as observations_count,
        {{ lgd_observation_measures('workouts') }}
    from evaluation_dates
    left join workouts
        on evaluation_dates.evaluation_date >= workouts.window_end_date
    group by evaluation_dates.evaluation_date, evaluation_dates.is_as_of_date
),

final as (
    select
        -- measures
        cast(observations_count as {{ dbt.type_bigint() }}) as observations_count,
        coalesce(ead_at_default_amount, 0) as ead_at_default_amount,
        cast(coalesce(recovered_present_value_amount, 0) as {{ type_double() }})
            as recovered_present_value_amount,
        cast(observed_lgd as {{ type_double() }}) as observed_lgd,
        cast(
            case
                when observations_count < {{ min_defaults }} then {{ fallback }}
                else observed_lgd
            end as {{ type_double() }}
        ) as lgd,
        -- flags
        observations_count < {{ min_defaults }} as is_fallback_used,
        is_as_of_date,
        -- dates
        evaluation_date
    from observed
)

select * from final
