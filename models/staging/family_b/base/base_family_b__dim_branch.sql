{#
    Every raw dim_branch row, parsed and tagged with the first rule it fails
    (quarantine_reason, null = valid). Name, city and region may be empty.
#}

with

raw_branches as (
    {{ read_feed('dim_branch') }}
),

parsed as (
    select
        source_row_number,
        {{ parse_feed_column('dim_branch', 'BranchID') }} as branch_id,
        {{ parse_feed_column('dim_branch', 'BranchName') }} as branch_name,
        {{ parse_feed_column('dim_branch', 'City') }} as city,
        {{ parse_feed_column('dim_branch', 'Region') }} as region,
        {{ blank_to_null('BranchID') }} is null as is_missing_key,
        {{ feed_has_unparseable('dim_branch', 'number') }} as has_unparseable_number,
        {{ raw_cells('dim_branch') }}
    from raw_branches
),

rules_checked as (
    select
        *,
        case
            when is_missing_key then 'missing_key'
            when has_unparseable_number then 'unparseable_number'
        end as rule_reason
    from parsed
),

tagged as (
    select
        *,
        coalesce(
            rule_reason,
            {{ later_duplicate_reason(['branch_id']) }}
        ) as quarantine_reason
    from rules_checked
),

final as (
    select
        -- ids
        branch_id,
        -- dimensions
        branch_name,
        city,
        region,
        -- quarantine
        quarantine_reason,
        -- metadata
        source_row_number,
        {{ quarantined_row_details('dim_branch') }}
    from tagged
)

select * from final
