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
