{#
    Window ranks of a group within the portfolio on the headline KPIs of
    loan_kpis(), each named <column>_rank: 1 = the largest value, ties share
    a rank, groups without loans (null) last.
#}
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
