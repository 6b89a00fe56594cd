{#
    The Family B reconciliation rules (docs/metrics.md, plus a negative
    balance): the one home of each rule's code, flag column, wording and
    condition over the columns of stg_family_b__loans. int_loans_reconciled
    turns each into a per-loan flag; rpt_data_quality_flags counts them.
    A rule whose inputs are null does not flag (the flag is false).
    Reads var reconciliation_tolerance_amount.
#}
{% macro family_b_reconciliation_rules() %}
    {%- set tolerance = var('reconciliation_tolerance_amount') -%}
    {%- set scheduled_end_date = dbt.dateadd('month', 'term_months', 'start_date') -%}
    {{ return([
        {
            'code': 'paid_with_outstanding',
            'flag': 'is_paid_with_outstanding',
            'description': 'Status Paid but OutstandingBalance > 0',
            'condition': "loan_status = 'Paid' and reported_outstanding_amount > 0",
        },
        {
            'code': 'paid_below_amount',
            'flag': 'is_paid_below_amount',
            'description': 'Status Paid but AmountPaid < LoanAmount',
            'condition': "loan_status = 'Paid' and reported_paid_amount < principal_amount",
        },
        {
            'code': 'amounts_do_not_add_up',
            'flag': 'is_amounts_mismatch',
            'description': 'AmountPaid + OutstandingBalance differs from LoanAmount by more than '
                ~ tolerance,
            'condition': "abs(reported_paid_amount + reported_outstanding_amount - principal_amount) > "
                ~ tolerance,
        },
        {
            'code': 'defaulted_zero_outstanding',
            'flag': 'is_defaulted_zero_outstanding',
            'description': 'Status Defaulted but OutstandingBalance = 0',
            'condition': "loan_status = 'Defaulted' and reported_outstanding_amount = 0",
        },
        {
            'code': 'end_date_mismatch',
            'flag': 'is_end_date_mismatch',
            'description': 'EndDate differs from StartDate + Term months',
            'condition': "end_date <> cast(" ~ scheduled_end_date ~ " as date)",
        },
        {
            'code': 'negative_outstanding',
            'flag': 'is_negative_outstanding',
            'description': 'OutstandingBalance below zero (paid beyond the amount)',
            'condition': "reported_outstanding_amount < 0",
        },
    ]) }}
{% endmacro %}
