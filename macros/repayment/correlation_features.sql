{#- The loan-level numerics rpt_repayment_correlations pairs, in display order: feature name -> the fct_loan_repayment column it reads. -#}

{% macro correlation_features() %}
    {{ return({
        'issued_sum': 'principal_amount',
        'term_days': 'term_days',
        'planned_total': 'scheduled_total_amount',
        'paid_to_date': 'paid_to_date_amount',
        'paid_ratio': 'paid_ratio',
        'delta': 'delta_amount',
        'current_dpd': 'days_past_due',
        'max_dpd': 'max_days_past_due',
        'payments_count': 'payments_count',
        'score': 'repayment_score',
    }) }}
{% endmacro %}
