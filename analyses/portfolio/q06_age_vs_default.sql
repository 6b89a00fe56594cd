-- Customer demographics 3: are certain age groups more likely to default?
-- Compared with the portfolio baseline row; small samples are marked.
select
    segment_value as age_band,
    loans_count,
    is_small_sample,
    round(100 * default_rate, 2) as default_pct,
    round(100 * resolved_default_rate, 2) as resolved_default_pct,
    round(
        default_rate / max(case when segment_dimension = 'portfolio' then default_rate end) over (),
        2
    ) as default_rate_vs_portfolio
from {{ ref('rpt_demographic_segments') }}
where segment_dimension in ('portfolio', 'age_band')
order by default_rate desc
