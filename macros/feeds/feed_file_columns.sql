{#-
    The file's names for the feed's contract columns, in contract order
    (matched case-insensitively). A missing column stops the run with a
    message naming the feed, the file and the column.
-#}

{% macro feed_file_columns(feed_name, feed_file) %}
    {%- set columns = feed_columns(feed_name) -%}
    {%- set header = run_query("select * from " ~ feed_file_relation(feed_file) ~ " limit 0").column_names -%}
    {%- set header_by_lower_name = {} -%}
    {%- for name in header -%}
        {%- do header_by_lower_name.update({name | lower: name}) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- set file_columns = [] -%}
    {%- for column in columns -%}
        {%- if column | lower in header_by_lower_name -%}
            {%- do file_columns.append(header_by_lower_name[column | lower]) -%}
        {%- else -%}
            {%- do missing.append(column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "Feed '" ~ feed_name ~ "' (file " ~ feed_file ~ ") is missing required column(s) "
            ~ missing | join(', ') ~ ". Its header has: " ~ header | join(' | ')
            ~ ". The contract (var feed_contract) requires: " ~ columns | join(', ') ~ "."
        ) }}
    {%- endif -%}
    {{ return(file_columns) }}
{% endmacro %}
