{#
    LoanTrack360 step 9, repayment score: how are loans spread over the
    0-100 score, and how many fall in each pricing tier (A-D)?
#}

select
    bucket_kind,
    bucket,
    loans,
    share_of_loans,
    principal_amount,
    min_score,
    max_score
from {{ ref('rpt_score_distribution') }}
order by bucket_kind, bucket_order
