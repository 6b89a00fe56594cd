{#
    Each single-dimension breakdown of rpt_demographic_segments (age band,
    gender, income band, employment status) holds every loan of the
    portfolio row once: banding and the customer join lose no loan.
    Returns the dimensions whose loans or amounts do not add up.
#}

with

segments as (
    select * from {{ ref('rpt_demographic_segments') }}
),

portfolio as (
    select
        loans_count,
        disbursed_amount
    from segments
    where segment_dimension = 'portfolio'
),

dimension_sums as (
    select
        segment_dimension,
        sum(loans_count) as loans_count,
        sum(disbursed_amount) as disbursed_amount
    from segments
    where dimensions_count = 1
    group by segment_dimension
)

select dimension_sums.*
from dimension_sums
cross join portfolio
where
    dimension_sums.loans_count <> portfolio.loans_count
    or dimension_sums.disbursed_amount <> portfolio.disbursed_amount
