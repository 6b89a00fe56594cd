{#
    The branch / region KPI set of docs/metrics.md as aggregate expressions
    over the Family B loans of a group: loan_totals(), active loans, the
    three default rates, the loans behind their amortisation schedule and
    their share of the active loans, average and amount-weighted interest
    rate, average loan, collection rate. Needs columns is_active,
    is_behind_schedule, loan_status, principal_amount, interest_rate_pct.
#}
{% macro loan_kpis(paid='reported_paid_amount', outstanding='reported_outstanding_amount') -%}
    {{ loan_totals(paid, outstanding) }},
    count(case when is_active then 1 end) as active_loans_count,
    count(case when is_behind_schedule then 1 end) as behind_schedule_loans_count,
    {{ safe_divide(
        'count(case when is_behind_schedule then 1 end)',
        'count(case when is_active then 1 end)'
    ) }} as behind_schedule_share,
    {{ default_rates() }},
    {{ average('interest_rate_pct') }} as avg_interest_rate_pct,
    {{ safe_divide(
        'sum(interest_rate_pct * principal_amount)',
        'sum(case when interest_rate_pct is not null then principal_amount end)'
    ) }} as weighted_interest_rate_pct,
    {{ average('principal_amount') }} as avg_loan_amount,
    {{ safe_divide('sum(' ~ paid ~ ')', 'sum(principal_amount)') }} as collection_rate
{%- endmacro %}
