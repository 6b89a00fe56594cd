{#
    True for a loan-month state (a row of int_loan_months_snapshotted) whose
    loan was already closed before the reporting month began, so it was
    closed at the previous month's snapshot too: a closed -> closed move
    that needs no ordering of the loan's history (closed is absorbing).
#}
{% macro was_closed_before_month() -%}
    coalesce(
        is_closed
        and closed_date < reporting_month
        and disbursal_month < reporting_month,
        false
    )
{%- endmacro %}
