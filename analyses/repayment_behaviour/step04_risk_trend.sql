{#
    LoanTrack360 step 4, risk trend: when was the book riskiest? Month by
    month: active loans, loans and amount in arrears, PAR30, PAR90, and what
    was disbursed and collected.
#}

select
    reporting_month,
    is_month_to_date,
    active_loans,
    loans_in_arrears,
    arrears_amount,
    par_30,
    par_90,
    disbursed_amount,
    collected_amount
from {{ ref('rpt_risk_trend_monthly') }}
order by reporting_month
