-- Customer demographics 2: how does income level relate to loan performance and default rates?
select
    segments.segment_value as income_band,
    segments.loans_count,
    segments.is_small_sample,
    round(100 * segments.default_rate, 2) as default_pct,
    round(100 * segments.resolved_default_rate, 2) as resolved_default_pct,
    round(100 * segments.amount_default_rate, 2) as amount_default_pct,
    round(100 * segments.repaid_amount / segments.disbursed_amount, 2) as repaid_pct
from {{ ref('rpt_demographic_segments') }} as segments
where segments.segment_dimension = 'income_band'
order by segments.default_rate desc
