{#-
    on-run-end: when this run built rpt_reporting_dates, print each
    portfolio's as_of_warning (reporting date before the first loan, long
    after the last event, or an isolated outlier date ignored) as a banner in
    the log, so a build that succeeds on a doubtful reporting date says so.
    The same text reaches the published manifest (warnings).
-#}
{% macro report_reporting_date_warnings() %}
    {%- if execute -%}
        {%- set built = [] -%}
        {%- for result in results -%}
            {%- if result.node.name == 'rpt_reporting_dates' and result.status == 'success' -%}
                {%- do built.append(result.node) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if built -%}
            {%- set relation = api.Relation.create(
                database=built[0].database, schema=built[0].schema, identifier=built[0].alias) -%}
            {%- set warnings = run_query(
                "select portfolio, as_of_warning from " ~ relation
                ~ " where as_of_warning is not null order by portfolio") -%}
            {%- for row in warnings.rows -%}
                {{ log("!" * 78, info=true) }}
                {{ log("WARNING reporting date of " ~ row[0] ~ ": " ~ row[1], info=true) }}
                {{ log("!" * 78, info=true) }}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
