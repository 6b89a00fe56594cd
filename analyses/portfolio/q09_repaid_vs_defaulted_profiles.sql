-- Loan segmentation 1: what characteristics (age, income, employment status) are associated
-- with fully repaid loans and with defaulted loans? (the portfolio row is the baseline)
select
    loan_status,
    loans_count,
    round(avg_age_years, 1) as avg_age_years,
    median_income_amount,
    round(avg_loan_amount, 2) as avg_loan_amount,
    round(avg_interest_rate_pct, 2) as avg_interest_rate_pct,
    round(100 * employed_share, 1) as employed_pct,
    round(100 * self_employed_share, 1) as self_employed_pct,
    round(100 * unemployed_share, 1) as unemployed_pct,
    round(100 * retired_share, 1) as retired_pct
from {{ ref('rpt_status_profiles') }}
where loan_status in ('Paid', 'Defaulted', 'All loans')
order by loan_status asc
