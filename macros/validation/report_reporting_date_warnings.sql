{#-
    on-run-end: when this run built rpt_reporting_dates, print each
    portfolio's as_of_warning (reporting date before the first loan, long
    after the last event, or an isolated outlier date ignored) as a banner in
    the log, so a build that succeeds on a doubtful reporting date says so.
    The same text reaches the published manifest (warnings).
-#}
{% macro report_reporting_date_warnings() %}
    {{ log_row_banners(
        'rpt_reporting_dates',
        'select portfolio, as_of_warning from {relation}'
        ~ ' where as_of_warning is not null order by portfolio',
        'WARNING reporting date of ',
    ) }}
    {{ return('') }}
{% endmacro %}
