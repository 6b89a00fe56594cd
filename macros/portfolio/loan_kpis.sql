{#
    Aggregate expressions over the Family B loans of a group: the one home of
    the portfolio totals and the branch / region KPIs of ../shared/METRICS.md.
    Column names of the loans relation are parameters, because intermediate
    models read the lender's names (reported_paid_amount) and marts the
    shared fct_loans names (paid_to_date_amount).
#}

{#- loans, disbursed = Σ LoanAmount, repaid = Σ AmountPaid, outstanding = Σ OutstandingBalance. -#}
{% macro loan_totals(paid='paid_to_date_amount', outstanding='outstanding_amount') -%}
    count(*) as loans_count,
    sum(principal_amount) as disbursed_amount,
    sum({{ paid }}) as repaid_amount,
    sum({{ outstanding }}) as outstanding_amount
{%- endmacro %}

{#- The branch / region KPI set: totals, the three default rates, interest, average loan, collection rate. -#}
{% macro loan_kpis(paid='paid_to_date_amount', outstanding='outstanding_amount') -%}
    {{ loan_totals(paid, outstanding) }},
    count(case when is_active then 1 end) as active_loans_count,
    {{ default_rates() }},
    avg(interest_rate_pct) as avg_interest_rate_pct,
    {{ safe_divide(
        'sum(interest_rate_pct * principal_amount)',
        'sum(case when interest_rate_pct is not null then principal_amount end)'
    ) }} as weighted_interest_rate_pct,
    avg(principal_amount) as avg_loan_amount,
    {{ safe_divide('sum(' ~ paid ~ ')', 'sum(principal_amount)') }} as collection_rate
{%- endmacro %}

{#- Ranks of a group within the portfolio on the KPIs of loan_kpis() (1 = largest; ties share a rank; groups without loans last). -#}
{% macro loan_kpi_ranks() -%}
    {%- set ranked = [
        'disbursed_amount',
        'outstanding_amount',
        'default_rate',
        'amount_default_rate',
        'collection_rate',
        'weighted_interest_rate_pct',
    ] -%}
    {%- for column in ranked %}
        rank() over (order by {{ column }} desc nulls last) as {{ column }}_rank
        {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
