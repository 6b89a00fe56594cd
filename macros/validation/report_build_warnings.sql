{#-
    on-run-end: when this run built rpt_build_warnings, print a banner in the
    log for each of its rows (WARNING feed <feed>: <message>). The rules live
    in the mart, which the publish step also copies into the snapshot
    manifest's warnings for the dashboard.
-#}
{% macro report_build_warnings() %}
    {{ log_row_banners(
        'rpt_build_warnings',
        'select source_feed, warning_message from {relation} order by warning_code, source_feed',
        'WARNING feed ',
    ) }}
    {{ return('') }}
{% endmacro %}
