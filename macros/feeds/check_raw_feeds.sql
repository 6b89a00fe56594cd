{#-
    on-run-start: say once which feeds this run reads and from where, and
    check every found file's header first, so a structurally broken feed
    stops the run before any model is built.
-#}

{% macro check_raw_feeds() %}
    {%- if execute -%}
        {%- if var('raw_dir') is none -%}
            {{ log("Raw feeds: the bundled sample seeds (seeds/sample). Set var raw_dir to read a folder.", info=true) }}
        {%- else -%}
            {%- set found = raw_feed_files() -%}
            {%- set csv_files = [] -%}
            {%- for feed_file in found.values() if not feed_file.endswith('.parquet') -%}
                {%- do csv_files.append(feed_file) -%}
            {%- endfor -%}
            {%- if csv_files -%}
                {#- said first: a CSV that is not valid in this encoding stops the check below #}
                {{ log("Raw CSV feeds read as " ~ var('raw_csv_encoding') ~ " (var raw_csv_encoding: "
                    ~ csv_encodings().keys() | join(', ') ~ "); a file saved in another encoding stops the run"
                    ~ " with the database's message naming the file", info=true) }}
            {%- endif -%}
            {%- for feed_name, feed_file in found.items() -%}
                {%- do feed_file_columns(feed_name, feed_file) -%}
            {%- endfor -%}
            {%- set absent = [] -%}
            {%- for feed_name in var('feed_contract') -%}
                {%- if feed_name not in found -%}{%- do absent.append(feed_name) -%}{%- endif -%}
            {%- endfor -%}
            {{ log("Raw feeds from raw_dir " ~ var('raw_dir') ~ ": found " ~ found.keys() | list | join(', ')
                ~ "; absent (staged empty): " ~ (absent | join(', ') if absent else 'none'), info=true) }}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
