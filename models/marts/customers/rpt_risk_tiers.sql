{#
    The three risk tiers side by side: how many customers each holds, how
    their loans performed, and how well the tiers separate the loans that
    defaulted from those that did not (AUC and Gini of the tier as a score).
    The tier is assigned from information known when the loans were granted
    (rule table in doc risk_tier_rules, computed in
    int_customers_risk_tiered), never from the default it is judged by.
#}

with

customers as (
    select * from {{ ref('int_customers_risk_tiered') }}
),

loans as (
    select * from {{ ref('int_loans_tiered') }}
),

tier_customers as (
    select
        risk_tier,
        count(*) as customers_count,
        count(case when loans_count > 0 then 1 end) as borrowers_count,
        {{ average('risk_points') }} as avg_risk_points,
        min(risk_points) as min_risk_points,
        max(risk_points) as max_risk_points
    from customers
    group by risk_tier
),

tier_loans as (
    select
        risk_tier,
        {{ loan_totals() }},
        count(case when is_active then 1 end) as active_loans_count,
        count(case when is_behind_schedule then 1 end) as behind_schedule_loans_count,
        count(case when is_defaulted then 1 end) as defaulted_loans_count,
        sum(case when is_active then reported_outstanding_amount else 0 end)
            as active_outstanding_amount,
        {{ default_rates() }}
    from loans
    group by risk_tier
),

tiers as (
    select
        tier_customers.*,
        case tier_customers.risk_tier
            when 'high' then 1
            when 'medium' then 2
            when 'low' then 3
        end as risk_tier_order,
        coalesce(tier_loans.loans_count, 0) as loans_count,
        coalesce(tier_loans.active_loans_count, 0) as active_loans_count,
        coalesce(tier_loans.behind_schedule_loans_count, 0) as behind_schedule_loans_count,
        coalesce(tier_loans.defaulted_loans_count, 0) as defaulted_loans_count,
        coalesce(tier_loans.loans_count, 0) - coalesce(tier_loans.defaulted_loans_count, 0)
            as not_defaulted_loans_count,
        tier_loans.disbursed_amount,
        tier_loans.outstanding_amount,
        tier_loans.active_outstanding_amount,
        tier_loans.default_rate,
        tier_loans.resolved_default_rate,
        tier_loans.amount_default_rate
    from tier_customers
    left join tier_loans
        on tier_customers.risk_tier = tier_loans.risk_tier
),

safer_loans_counted as (
    {#- Not-defaulted loans in the less risky tiers (listed before this one
        when ordered from low to high): the pairs this tier's defaults win. #}
    select
        *,
        coalesce(
            sum(not_defaulted_loans_count) over (
                order by risk_tier_order desc
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as safer_not_defaulted_loans_count
    from tiers
),

pairs_won as (
    {#- A (defaulted, not defaulted) pair counts 1 when the defaulted loan's
        tier is riskier, 1/2 when both are in the same tier. #}
    select
        *,
        defaulted_loans_count * safer_not_defaulted_loans_count
        + 0.5 * defaulted_loans_count * not_defaulted_loans_count as pairs_won_count
    from safer_loans_counted
),

separation as (
    select
        *,
        {{ safe_divide(
            'sum(pairs_won_count) over ()',
            'sum(defaulted_loans_count) over () * sum(not_defaulted_loans_count) over ()'
        ) }} as tier_auc
    from pairs_won
),

final as (
    select
        -- ids
        risk_tier,
        -- dimensions
        risk_tier_order,
        -- measures
        customers_count,
        {{ safe_divide('customers_count', 'sum(customers_count) over ()') }} as customers_share,
        borrowers_count,
        avg_risk_points,
        min_risk_points,
        max_risk_points,
        loans_count,
        active_loans_count,
        behind_schedule_loans_count,
        defaulted_loans_count,
        disbursed_amount,
        outstanding_amount,
        active_outstanding_amount,
        default_rate,
        resolved_default_rate,
        amount_default_rate,
        tier_auc,
        2 * tier_auc - 1 as tier_gini
    from separation
)

select * from final
