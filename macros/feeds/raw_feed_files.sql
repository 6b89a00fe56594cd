{#-
    Map feed name -> file path for the feeds present in var raw_dir.
    Accepted names: <feed>.parquet, <feed>.csv, <feed>.csv.gz. Two files for
    one feed, or a raw_dir holding none of the feeds, is an error: both are
    more likely a mistake than an intent, and silence would build an empty
    warehouse.
-#}

{% macro raw_feed_files() %}
    {%- set raw_dir = var('raw_dir') -%}
    {%- set feed_names = var('feed_contract').keys() | list -%}
    {%- set found = {} -%}
    {%- for path in list_files(raw_dir) -%}
        {%- set file_name = path.replace('\\', '/').split('/')[-1] -%}
        {%- for feed_name in feed_names -%}
            {%- if file_name in [feed_name ~ '.parquet', feed_name ~ '.csv', feed_name ~ '.csv.gz'] -%}
                {%- if feed_name in found -%}
                    {{ exceptions.raise_compiler_error(
                        "Feed '" ~ feed_name ~ "' has two files in raw_dir: " ~ found[feed_name]
                        ~ " and " ~ path ~ ". Keep one."
                    ) }}
                {%- endif -%}
                {%- do found.update({feed_name: path}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if not found -%}
        {{ exceptions.raise_compiler_error(
            "raw_dir '" ~ raw_dir ~ "' holds none of the feeds. Expected files named <feed>.csv, "
            ~ "<feed>.csv.gz or <feed>.parquet for feeds: " ~ feed_names | join(', ')
            ~ ". Is the path right (relative paths are relative to where dbt runs)?"
        ) }}
    {%- endif -%}
    {{ return(found) }}
{% endmacro %}
