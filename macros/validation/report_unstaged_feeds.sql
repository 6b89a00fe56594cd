{#-
    on-run-end: when this run built int_feeds_reconciled (rows loaded and
    staged per feed) and int_quarantine_reasons_counted (its reasons), print a
    banner in the log for each feed delivered that stages nothing:
    - a file with rows of which none could be staged (every row quarantined),
      with its reasons: almost always a file the warehouse cannot read (a
      decimal comma, another date format), whose marts would otherwise just
      come out empty on a successful build. The same finding is critical in
      Great Expectations (make build stops there, before publishing);
    - a file in raw_dir with a header and no rows: built as a feed delivered
      empty (an empty payments file leaves every loan unpaid, in arrears
      from its first due date), which a new book can be, but which is more
      often an export cut short. A warning only: the build goes on.
    A feed with no file is not reported here: on-run-start lists it as absent.
-#}
{% macro report_unstaged_feeds() %}
    {%- if execute -%}
        {%- set built = built_relations(['int_feeds_reconciled', 'int_quarantine_reasons_counted']) -%}
        {%- if built | length == 2 -%}
            {%- set nothing_staged = run_query(
                "select source_feed, loaded_rows from " ~ built['int_feeds_reconciled']
                ~ " where staged_rows = 0 order by source_feed") -%}
            {%- set files = raw_feed_files() if var('raw_dir') is not none else {} -%}
            {%- for feed, loaded in nothing_staged.rows -%}
                {%- if loaded > 0 -%}
                    {%- set reasons = run_query(
                        "select quarantine_reason, quarantined_rows from "
                        ~ built['int_quarantine_reasons_counted']
                        ~ " where source_feed = '" ~ feed ~ "'"
                        ~ " order by quarantined_rows desc, quarantine_reason") -%}
                    {%- set counted = [] -%}
                    {%- for reason, rows in reasons.rows -%}
                        {%- do counted.append(reason ~ ' ' ~ rows) -%}
                    {%- endfor -%}
                    {{ log_banner(
                        "WARNING feed " ~ feed ~ ": none of its " ~ loaded ~ " rows could be staged,"
                        ~ " all are quarantined (" ~ counted | join(', ')
                        ~ "; see staging.stg_quarantine__rows): is the file in the contract's format?") }}
                {%- elif feed in files -%}
                    {{ log_banner(
                        "WARNING feed " ~ feed ~ ": its file " ~ files[feed] ~ " has a header and no rows;"
                        ~ " the warehouse is built as if the feed were delivered empty: is the export complete?") }}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
