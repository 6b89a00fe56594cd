{#
    Per feed: rows loaded from the seed or file, rows staged, rows
    quarantined, and whether loaded = staged + quarantined. Counted from
    three different models so a row lost between them shows here.
#}

with

{% for feed_name in var('feed_contract') %}
    {{ feed_name }}_counts as (
        select
            '{{ feed_name }}' as source_feed,
            (select count(*) from {{ ref(feed_base_model(feed_name)) }}) as loaded_rows,
            (select count(*) from {{ ref(feed_staging_model(feed_name)) }}) as staged_rows
    ),

{% endfor %}
feed_counts as (
    {%- for feed_name in var('feed_contract') %}
        select * from {{ feed_name }}_counts
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

quarantine_counts as (
    select
        source_feed,
        count(*) as quarantined_rows
    from {{ ref('stg_quarantine__rows') }}
    group by source_feed
),

final as (
    select
        feed_counts.source_feed,
        feed_counts.loaded_rows,
        feed_counts.staged_rows,
        coalesce(quarantine_counts.quarantined_rows, 0) as quarantined_rows,
        feed_counts.loaded_rows
        = feed_counts.staged_rows + coalesce(quarantine_counts.quarantined_rows, 0)
            as is_reconciled
    from feed_counts
    left join quarantine_counts
        on feed_counts.source_feed = quarantine_counts.source_feed
)

select * from final
