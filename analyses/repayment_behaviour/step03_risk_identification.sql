{#
    LoanTrack360 step 3, risk identification: which loans have a payment
    gap, and how far behind are they? Active loans as of as_of_date by DPD
    bucket: loans, arrears and outstanding, worst first.
#}

with

loans as (
    select * from {{ ref('fct_loan_repayment') }}
    where is_active
)

select
    dpd_bucket,
    count(*) as loans,
    count(case when payment_gap_amount > 0 then 1 end) as loans_with_payment_gap,
    sum(arrears_amount) as arrears_amount,
    sum(outstanding_amount) as outstanding_amount,
    max(days_past_due) as worst_days_past_due
from loans
group by dpd_bucket
order by min(days_past_due) desc
