{#
    The three risk tiers side by side: how many customers each holds and how
    their loans performed. The tier rules are documented in the model's
    description (doc risk_tier_rules) and computed in
    int_customers_risk_tiered.
#}

with

customers as (
    select * from {{ ref('dim_customers') }}
),

loans as (
    select * from {{ ref('fct_loans') }}
    where source_feed = 'fact_loans'
),

tier_customers as (
    select
        risk_tier,
        count(*) as customers_count,
        count(case when loans_count > 0 then 1 end) as borrowers_count,
        avg(risk_points) as avg_risk_points,
        min(risk_points) as min_risk_points,
        max(risk_points) as max_risk_points
    from customers
    group by risk_tier
),

loans_with_tiers as (
    select
        customers.risk_tier,
        loans.loan_status,
        loans.is_active,
        loans.is_behind_schedule,
        loans.principal_amount,
        loans.paid_to_date_amount,
        loans.outstanding_amount
    from loans
    inner join customers
        on loans.customer_id = customers.customer_id
),

tier_loans as (
    select
        risk_tier,
        {{ loan_totals() }},
        count(case when is_active then 1 end) as active_loans_count,
        count(case when is_behind_schedule then 1 end) as behind_schedule_loans_count,
        sum(case when is_active then outstanding_amount else 0 end) as active_outstanding_amount,
        {{ default_rates() }}
    from loans_with_tiers
    group by risk_tier
),

final as (
    select
        -- ids
        tier_customers.risk_tier,
        -- dimensions
        case tier_customers.risk_tier
            when 'high' then 1
            when 'medium' then 2
            when 'low' then 3
        end as risk_tier_order,
        -- measures
        tier_customers.customers_count,
        {{ safe_divide(
            'tier_customers.customers_count',
            'sum(tier_customers.customers_count) over ()'
        ) }} as customers_share,
        tier_customers.borrowers_count,
        tier_customers.avg_risk_points,
        tier_customers.min_risk_points,
        tier_customers.max_risk_points,
        coalesce(tier_loans.loans_count, 0) as loans_count,
        coalesce(tier_loans.active_loans_count, 0) as active_loans_count,
        coalesce(tier_loans.behind_schedule_loans_count, 0) as behind_schedule_loans_count,
        tier_loans.disbursed_amount,
        tier_loans.outstanding_amount,
        tier_loans.active_outstanding_amount,
        tier_loans.default_rate,
        tier_loans.resolved_default_rate,
        tier_loans.amount_default_rate
    from tier_customers
    left join tier_loans
        on tier_customers.risk_tier = tier_loans.risk_tier
)

select * from final
