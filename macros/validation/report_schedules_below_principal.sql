{#-
    on-run-end: when this run built int_loans_disbursed and more than half
    of the loans with a schedule have one whose total (the last cumulative
    plan_sum_total) is below the principal disbursed, print a banner: the
    plan feed is most likely written as each instalment's amount rather than
    the cumulative total due the contract asks for (or cut short), and every
    figure that reads the schedule (planned to date, arrears, DPD, PAR)
    understates what is due without any row being invalid. A few such loans
    are individual errors: they are flagged (has_schedule_below_principal)
    and counted in rpt_data_quality_summary, without a banner.
-#}
{% macro report_schedules_below_principal() %}
    {%- if execute -%}
        {%- set built = built_relations(['int_loans_disbursed']) -%}
        {%- if built -%}
            {%- set counts = run_query(
                "select"
                ~ " count(case when has_schedule_below_principal then 1 end),"
                ~ " count(case when not has_no_schedule then 1 end)"
                ~ " from " ~ built['int_loans_disbursed']).rows[0] -%}
            {%- set below, scheduled = counts[0] | int, counts[1] | int -%}
            {%- if below * 2 > scheduled -%}
                {{ log_banner(
                    "WARNING feed plan: for " ~ below ~ " of the " ~ scheduled ~ " loans with a schedule,"
                    ~ " the last plan_sum_total is below the principal disbursed: plan_sum_total must be the"
                    ~ " cumulative total due by plan_at, not each instalment's amount (or is the plan cut short?);"
                    ~ " planned to date, arrears, DPD and PAR understate what is due"
                    ~ " (fct_loan_repayment.has_schedule_below_principal)") }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
