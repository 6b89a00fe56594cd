{#
    Aggregate expressions over the Family B loans of a group: loans,
    disbursed = Σ LoanAmount, repaid = Σ AmountPaid, outstanding = Σ
    OutstandingBalance (the one home of the portfolio totals of
    docs/metrics.md). The amount columns are parameters: the loan-book
    intermediates carry the lender's names (reported_paid_amount).
#}
{% macro loan_totals(paid='reported_paid_amount', outstanding='reported_outstanding_amount') -%}
    count(*) as loans_count,
    sum(principal_amount) as disbursed_amount,
    sum({{ paid }}) as repaid_amount,
    sum({{ outstanding }}) as outstanding_amount
{%- endmacro %}
