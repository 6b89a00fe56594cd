{#-
    The out-of-range problems of the learned default model and pricing vars
    (one sentence each, none when all are fine), added to the list of
    check_threshold_vars: default_model_evaluation_months an integer >= 1;
    default_model_max_sample_rows an integer >= 100;
    pricing_funding_cost_rate, pricing_operating_cost_rate and
    pricing_target_margin_rate numbers in [0, 1) (annual fractions).
-#}
{% macro default_model_var_problems() %}
    {%- set problems = [] -%}
    {%- set months = var('default_model_evaluation_months') -%}
    {%- if months is not integer or months is sameas true or months is sameas false or months < 1 -%}
        {%- do problems.append("var default_model_evaluation_months must be an integer >= 1; got " ~ months) -%}
    {%- endif -%}
    {%- set sample_rows = var('default_model_max_sample_rows') -%}
    {%- if sample_rows is not integer or sample_rows is sameas true or sample_rows is sameas false or sample_rows < 100 -%}
        {%- do problems.append("var default_model_max_sample_rows must be an integer >= 100; got " ~ sample_rows) -%}
    {%- endif -%}
    {%- for name in ['pricing_funding_cost_rate', 'pricing_operating_cost_rate', 'pricing_target_margin_rate'] -%}
        {%- set value = var(name) -%}
        {%- if value is not number or value is sameas true or value is sameas false or value < 0 or value >= 1 -%}
            {%- do problems.append("var " ~ name ~ " must be an annual rate as a fraction in [0, 1) (0.05 = 5%); got " ~ value) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(problems) }}
{% endmacro %}

{#-
    on-run-start: says which way the learned default model goes. dbt-duckdb
    runs Python models in-process; on another engine the model and the
    marts reading it are disabled (their `enabled` config), and this line
    says so instead of a silent skip.
-#}
{% macro log_default_model_engine() %}
    {%- if execute and target.type != 'duckdb' -%}
        {%- do log(
            "learned default model DISABLED on engine '" ~ target.type ~ "': int_loan_default_model_outputs "
            ~ "(a dbt Python model run by dbt-duckdb), int_default_model_evaluations, fct_loan_default_probability "
            ~ "and rpt_default_model_* are not built; rpt_pricing_tiers keeps its score-tier rows only.",
            info=true
        ) -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
