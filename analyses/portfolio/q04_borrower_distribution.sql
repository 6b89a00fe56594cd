-- Customer demographics 1: the distribution of borrowers by age, gender and employment status.
select
    segment_dimension,
    segment_value,
    borrowers_count,
    loans_count,
    round(
        100.0 * borrowers_count / sum(borrowers_count) over (partition by segment_dimension), 2
    ) as borrowers_pct
from {{ ref('rpt_demographic_segments') }}
where segment_dimension in ('age_band', 'gender', 'employment_status')
order by segment_dimension asc, segment_value asc
