{#
    LoanTrack360 step 8, correlation: how do loan size, duration and payment
    behaviour relate? Each pair once, strongest correlation first.
#}

select
    feature_x,
    feature_y,
    r,
    n
from {{ ref('rpt_repayment_correlations') }}
where feature_x < feature_y
order by abs(r) desc nulls last, feature_x asc, feature_y asc
