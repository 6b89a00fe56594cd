{#
    One row per raw row that did not make it into staging, from all six
    feeds, with the first rule it failed and the raw row as JSON text.
#}

with

{% for feed_name in var('feed_contract') %}
    {{ feed_name }}_rows as (
        select
            '{{ feed_name }}' as source_feed,
            source_row_number,
            record_key,
            quarantine_reason,
            raw_row_json
        from {{ ref(feed_base_model(feed_name)) }}
        where quarantine_reason is not null
    ),

{% endfor %}
final as (
    {%- for feed_name in var('feed_contract') %}
        select * from {{ feed_name }}_rows
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from final
