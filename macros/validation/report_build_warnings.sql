{#-
    on-run-end: when this run built rpt_build_warnings, print a banner in the
    log for each of its rows (WARNING feed <feed>: <message>). The rules live
    in the mart, which the publish step also copies into the snapshot
    manifest's warnings for the dashboard.
-#}
{% macro report_build_warnings() %}
    {%- if execute -%}
        {%- set built = built_relations(['rpt_build_warnings']) -%}
        {%- if built -%}
            {%- set warnings = run_query(
                "select source_feed, warning_message from " ~ built['rpt_build_warnings']
                ~ " order by warning_code, source_feed") -%}
            {%- for feed, message in warnings.rows -%}
                {{ log_banner("WARNING feed " ~ feed ~ ": " ~ message) }}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
