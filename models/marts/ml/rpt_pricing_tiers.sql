{#
    Risk-based pricing: one row per repayment score tier (A-D) and, on
    DuckDB, per learned-probability decile (1-10), with the observed
    outcomes and the break-even annual interest rate.

    Observed rates: share of the loans in the group that reach DPD > 30
    (resp. > 90) at one of the next three month-ends. Score tiers pool every
    loan active and not in default (at most 90 days past due: a loan
    already in default is not priced) at every month-end whose outcome is
    observed (int_loan_month_end_outcomes); deciles pool the learned model's
    out-of-time rows (int_default_model_evaluations: loans at most 30 days
    past due), so no decile is measured on the rows the model was fitted on.
    A break-even rate near or above 1 (100% a year) says the group cannot
    be priced: decline rather than lend at that rate.

    Expected loss rate (a year) = annual default rate x LGD, where the
    annual default rate = 1 - (1 - observed 90+ rate)^4 (the three-month
    rate compounded over four quarters, a constant-hazard approximation;
    90+ is the warehouse's default, as in the credit-loss marts) and LGD is
    the credit-loss workout LGD at as_of_date (int_credit_loss_lgd_estimates,
    which applies var lgd_fallback while workout observations are too few).

    Break-even annual rate = (funding + opex + EL) / (1 - EL) + margin:
    the rate whose interest on the loans that do not default pays the
    funding and operating costs and the expected loss, plus the target
    margin (vars pricing_funding_cost_rate, pricing_operating_cost_rate,
    pricing_target_margin_rate; all annual fractions of principal).
#}

{%- set funding = var('pricing_funding_cost_rate') %}
{%- set opex = var('pricing_operating_cost_rate') %}
{%- set margin = var('pricing_target_margin_rate') %}
{%- set has_learned_model = target.type == 'duckdb' %}

with

outcomes as (
    select * from {{ ref('int_loan_month_end_outcomes') }}
    where is_outcome_observed and score_tier is not null and days_past_due <= 90
),

lgd_estimates as (
    select * from {{ ref('int_credit_loss_lgd_estimates') }}
    where is_as_of_date
),

{%- if has_learned_model %}

    evaluations as (
        select * from {{ ref('int_default_model_evaluations') }}
        where model_name = 'learned'
    ),
{%- endif %}

by_score_tier as (
    select
        'score_tier' as pricing_basis,
        score_tier as tier_code,
        case score_tier
            {%- for tier in score_tier_labels() %}
                when '{{ tier }}' then {{ loop.index }}
            {%- endfor %}
        end as tier_sort_order,
        count(*) as observations_count,
        {{ average('case when reaches_dpd_over_30 then 1 else 0 end') }} as observed_30_plus_rate,
        {{ average('case when reaches_dpd_over_90 then 1 else 0 end') }} as observed_90_plus_rate
    from outcomes
    group by score_tier
),

{%- if has_learned_model %}

    by_probability_decile as (
        select
            'probability_decile' as pricing_basis,
            cast(risk_decile as {{ dbt.type_string() }}) as tier_code,
            risk_decile as tier_sort_order,
            count(*) as observations_count,
            {{ average('case when reaches_dpd_over_30 then 1 else 0 end') }}
                as observed_30_plus_rate,
            {{ average('case when reaches_dpd_over_90 then 1 else 0 end') }}
                as observed_90_plus_rate
        from evaluations
        group by risk_decile
    ),
{%- endif %}

groups as (
    select * from by_score_tier
    {%- if has_learned_model %}
        union all
        select * from by_probability_decile
    {%- endif %}
),

lgd as (
    select
        max(lgd) as lgd,
        max(case when is_fallback_used then 1 else 0 end) = 1 as is_lgd_fallback
    from lgd_estimates
),

annualised as (
    select
        groups.*,
        lgd.lgd,
        lgd.is_lgd_fallback,
        1 - power(1 - groups.observed_90_plus_rate, 4) as annual_default_rate
    from groups
    cross join lgd
),

loss_rated as (
    select
        *,
        annual_default_rate * lgd as expected_loss_rate
    from annualised
),

final as (
    select
        -- dimensions
        pricing_basis,
        tier_code,
        tier_sort_order,
        -- measures
        observations_count,
        cast(observed_30_plus_rate as {{ type_double() }}) as observed_30_plus_rate,
        cast(observed_90_plus_rate as {{ type_double() }}) as observed_90_plus_rate,
        cast(annual_default_rate as {{ type_double() }}) as annual_default_rate,
        cast(lgd as {{ type_double() }}) as lgd,
        cast(expected_loss_rate as {{ type_double() }}) as expected_loss_rate,
        cast({{ funding }} as {{ type_double() }}) as funding_cost_rate,
        cast({{ opex }} as {{ type_double() }}) as operating_cost_rate,
        cast({{ margin }} as {{ type_double() }}) as target_margin_rate,
        cast(
            ({{ funding }} + {{ opex }} + expected_loss_rate) / nullif(1 - expected_loss_rate, 0)
            + {{ margin }}
            as {{ type_double() }}
        ) as break_even_annual_rate,
        -- flags
        is_lgd_fallback
    from loss_rated
)

select * from final
