{#
    The workout LGD of Family A at as_of_date and at the month-end before:
    one `portfolio` row per evaluation date (observations, EAD-weighted
    observed LGD, the LGD applied and whether the fallback was used) and one
    `default_month` row per default month of the observations (detail).
#}

{%- set unioned_columns = [
    'evaluation_date', 'is_as_of_date', 'row_level', 'default_month', 'observations_count',
    'recovered_amount', 'ead_at_default_amount', 'recovered_present_value_amount',
    'observed_lgd', 'lgd', 'is_fallback_used',
] %}

with

lgd_estimates as (
    select * from {{ ref('int_credit_loss_lgd_estimates') }}
),

workouts as (
    select * from {{ ref('int_loan_default_workouts') }}
    where is_lgd_observation
),

by_default_month as (
    select
        lgd_estimates.evaluation_date,
        lgd_estimates.is_as_of_date,
        'default_month' as row_level,
        workouts.default_month,
        count(*) as observations_count,
        sum(workouts.recovered_amount) as recovered_amount,
        {{ lgd_observation_measures('workouts') }},
        cast(null as {{ type_double() }}) as lgd,
        cast(null as boolean) as is_fallback_used
    from lgd_estimates
    inner join workouts
        on lgd_estimates.evaluation_date >= workouts.window_end_date
    group by lgd_estimates.evaluation_date, lgd_estimates.is_as_of_date, workouts.default_month
),

recovered_totals as (
    select
        evaluation_date,
        sum(recovered_amount) as recovered_amount
    from by_default_month
    group by evaluation_date
),

portfolio as (
    select
        lgd_estimates.evaluation_date,
        lgd_estimates.is_as_of_date,
        'portfolio' as row_level,
        cast(null as date) as default_month,
        lgd_estimates.observations_count,
        coalesce(totals.recovered_amount, 0) as recovered_amount,
        lgd_estimates.ead_at_default_amount,
        lgd_estimates.recovered_present_value_amount,
        lgd_estimates.observed_lgd,
        lgd_estimates.lgd,
        lgd_estimates.is_fallback_used
    from lgd_estimates
    left join recovered_totals as totals
        on lgd_estimates.evaluation_date = totals.evaluation_date
),

unioned as (
    -- both sides list the columns: a union matches them by position
    select {{ unioned_columns | join(', ') }} from portfolio
    union all
    select {{ unioned_columns | join(', ') }} from by_default_month
),

final as (
    select
        -- dimensions
        unioned.row_level,
        -- measures
        cast(unioned.observations_count as {{ dbt.type_bigint() }}) as observations_count,
        cast(unioned.ead_at_default_amount as decimal(18, 2)) as ead_at_default_amount,
        cast(unioned.recovered_amount as decimal(18, 2)) as recovered_amount,
        cast(unioned.recovered_present_value_amount as {{ type_double() }})
            as recovered_present_value_amount,
        cast(unioned.observed_lgd as {{ type_double() }}) as observed_lgd,
        unioned.lgd,
        -- flags
        unioned.is_fallback_used,
        unioned.is_as_of_date,
        -- dates
        unioned.evaluation_date,
        unioned.default_month
    from unioned
)

select * from final
