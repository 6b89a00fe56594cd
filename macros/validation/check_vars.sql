{#-
    on-run-start: every var is checked before any model is built, so a typo
    or an out-of-range threshold stops the run with one sentence naming the
    var instead of failing deep inside a model (or, worse, building on the
    defaults). Order: unknown names first (a misspelt var is not applied at
    all), then the reporting date, then every threshold.
-#}
{% macro check_vars() %}
    {%- if execute -%}
        {%- do check_declared_vars() -%}
        {%- do check_as_of_date_var() -%}
        {%- do check_threshold_vars() -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
