{#
    LoanTrack360 step 7, segmentation: how many loans are Underpaid, On
    Track, Overpaid (or Not Yet Due), and how do the segments differ in
    size, score and days past due?
#}

select
    segment,
    loans,
    share_of_loans,
    principal_amount,
    average_repayment_score,
    average_days_past_due
from {{ ref('rpt_repayment_segments') }}
order by segment_order
