{#
    The feed reader: the one place that knows where raw rows come from.

    read_feed('orders') yields the feed's contract columns, all as text, in
    contract order, plus source_row_number (1-based data row in the file or
    seed), from one of three places:
      - var raw_dir unset           -> the bundled sample seed ref('orders');
      - raw_dir holds the feed file -> that file, read by the engine directly
                                       after its header is checked against the
                                       contract;
      - raw_dir lacks the feed      -> an empty relation with the same columns.
    Everything is text so that a bad cell becomes a quarantine row in staging
    instead of a load error.
#}

{% macro read_feed(feed_name) %}
    {%- set columns = feed_columns(feed_name) -%}
    {%- if var('raw_dir') is none -%}
        {{ select_feed_columns(columns, columns, ref(feed_name)) }}
    {%- elif not execute -%}
        {{ empty_feed(columns) }}
    {%- else -%}
        {%- set feed_file = raw_feed_files().get(feed_name) -%}
        {%- if feed_file is none -%}
            {{ log("read_feed: " ~ feed_name ~ " is absent from raw_dir; its staging is empty", info=true) }}
            {{ empty_feed(columns) }}
        {%- else -%}
            {{ log("read_feed: " ~ feed_name ~ " <- " ~ feed_file, info=true) }}
            {%- set numbered = numbered_feed_file(feed_file) -%}
            {{ select_feed_columns(
                feed_file_columns(feed_name, feed_file), columns,
                numbered['relation'], numbered['row_number']
            ) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
