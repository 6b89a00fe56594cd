{#
    The demographic segments as published: every column is computed in
    int_demographic_segments_aggregated, the one home of segment default
    rates (the risk tier reads them there too). The columns are listed on
    purpose: a column added upstream reaches BI only when added here.
#}

with

segments as (
    select * from {{ ref('int_demographic_segments_aggregated') }}
),

final as (
    select
        -- ids
        segment_dimension,
        segment_value,
        -- dimensions
        dimensions_count,
        first_dimension,
        first_value,
        second_dimension,
        second_value,
        is_small_sample,
        -- measures
        borrowers_count,
        loans_count,
        disbursed_amount,
        repaid_amount,
        outstanding_amount,
        default_rate,
        resolved_default_rate,
        amount_default_rate
    from segments
)

select * from final
