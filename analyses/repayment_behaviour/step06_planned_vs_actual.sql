{#
    LoanTrack360 step 6, planned vs actual: how far are loans from their
    plan (delta = paid - planned to date; positive = overpaid, negative =
    risky)? The histogram, bin by bin.
#}

select
    bin_number,
    lower_amount,
    upper_amount,
    loans,
    share_of_loans,
    delta_amount
from {{ ref('rpt_planned_vs_actual_distribution') }}
order by bin_number
