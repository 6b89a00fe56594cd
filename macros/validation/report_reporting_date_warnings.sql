{#-
    on-run-end: when this run built rpt_reporting_dates, print each
    portfolio's as_of_warning (reporting date before the first loan, long
    after the last event, or an isolated outlier date ignored) as a banner in
    the log, so a build that succeeds on a doubtful reporting date says so.
    The same text reaches the published manifest (warnings).
-#}
{% macro report_reporting_date_warnings() %}
    {%- if execute -%}
        {%- set built = built_relations(['rpt_reporting_dates']) -%}
        {%- if built -%}
            {%- set warnings = run_query(
                "select portfolio, as_of_warning from " ~ built['rpt_reporting_dates']
                ~ " where as_of_warning is not null order by portfolio") -%}
            {%- for row in warnings.rows -%}
                {{ log_banner("WARNING reporting date of " ~ row[0] ~ ": " ~ row[1]) }}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
