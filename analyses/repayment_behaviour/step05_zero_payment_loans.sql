{#
    LoanTrack360 step 5, zero-payment loans: which open loans have something
    due and nothing paid (direct liabilities), and what is the total
    exposure? The largest exposures first, each row with the totals.
#}

select
    loan_id,
    exposure_amount,
    days_past_due,
    dpd_bucket,
    zero_payment_loans,
    total_exposure_amount,
    share_of_active_principal
from {{ ref('rpt_zero_payment_liabilities') }}
order by exposure_amount desc, loan_id asc
