{#-
    on-run-end: when this run built int_feeds_reconciled (rows loaded and
    staged per feed) and int_quarantine_reasons_counted (its reasons), print a banner in
    the log for each feed delivered with rows of which none could be staged
    (every row quarantined), with its reasons: almost always a file the
    warehouse cannot read (a decimal comma, another date format), whose
    marts would otherwise just come out empty on a successful build, or
    keys that match no order (100001.0 for 100001). The same finding is
    critical in Great Expectations (scripts/gx_suites/raw_feeds.py: at least
    one row staged), so make build stops there, before publishing. A file
    with a header and no rows is a warning of rpt_build_warnings instead
    (macro report_build_warnings).
-#}
{% macro report_unstaged_feeds() %}
    {%- if execute -%}
        {%- set built = built_relations(['int_feeds_reconciled', 'int_quarantine_reasons_counted']) -%}
        {%- if built | length == 2 -%}
            {%- set reasons = run_query(
                "select feeds.source_feed, feeds.loaded_rows, reasons.quarantine_reason,"
                ~ " reasons.quarantined_rows"
                ~ " from " ~ built['int_feeds_reconciled'] ~ " as feeds"
                ~ " inner join " ~ built['int_quarantine_reasons_counted'] ~ " as reasons"
                ~ " on feeds.source_feed = reasons.source_feed"
                ~ " where feeds.loaded_rows > 0 and feeds.staged_rows = 0"
                ~ " order by feeds.source_feed, reasons.quarantined_rows desc, reasons.quarantine_reason") -%}
            {%- set unstaged = {} -%}
            {%- for row in reasons.rows -%}
                {%- if row[0] not in unstaged -%}
                    {%- do unstaged.update({row[0]: {'loaded': row[1], 'reasons': []}}) -%}
                {%- endif -%}
                {%- do unstaged[row[0]]['reasons'].append(row[2] ~ ' ' ~ row[3]) -%}
            {%- endfor -%}
            {%- for feed, found in unstaged.items() -%}
                {{ log_banner(
                    "WARNING feed " ~ feed ~ ": none of its " ~ found['loaded'] ~ " rows could be staged,"
                    ~ " all are quarantined (" ~ found['reasons'] | join(', ')
                    ~ "; see staging.stg_quarantine__rows): is the file in the contract's format?") }}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
