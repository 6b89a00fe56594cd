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

{% macro feed_contract(feed_name) %}
    {%- set contract = var('feed_contract') -%}
    {%- if feed_name not in contract -%}
        {{ exceptions.raise_compiler_error(
            "Unknown feed '" ~ feed_name ~ "'. The contract (var feed_contract) lists: "
            ~ (contract.keys() | list | join(', '))
        ) }}
    {%- endif -%}
    {{ return(contract[feed_name]) }}
{% endmacro %}


{% macro feed_columns(feed_name) %}
    {{ return(feed_contract(feed_name)['columns'].keys() | list) }}
{% endmacro %}


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
            {{ select_feed_columns(feed_file_columns(feed_name, feed_file), columns, feed_file_relation(feed_file)) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


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


{#- file_columns are the names as found; they are renamed to the contract's spelling. -#}
{% macro select_feed_columns(file_columns, contract_columns, relation) %}
    select
        {%- for column in contract_columns %}
        cast({{ adapter.quote(file_columns[loop.index0]) }} as {{ dbt.type_string() }}) as {{ adapter.quote(column) }},
        {%- endfor %}
        row_number() over () as source_row_number
    from {{ relation }}
{% endmacro %}


{% macro empty_feed(columns) %}
    select
        {%- for column in columns %}
        cast(null as {{ dbt.type_string() }}) as {{ adapter.quote(column) }},
        {%- endfor %}
        cast(null as {{ dbt.type_bigint() }}) as source_row_number
    where 1 = 0
{% endmacro %}


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


{#- The base model (every row, tagged) and staging model (valid rows) of a feed. -#}
{% macro feed_base_model(feed_name) %}
    {{ return('base_' ~ feed_contract(feed_name)['family'] ~ '__' ~ feed_name) }}
{% endmacro %}

{% macro feed_staging_model(feed_name) %}
    {{ return(feed_contract(feed_name)['staging_model']) }}
{% endmacro %}
