{#
    Family B customers: demographics with their bands, borrowing and
    repayment-behaviour features and the risk tier, all computed in
    int_customers_risk_tiered. The BI-facing mart of that intermediate: its
    columns are the intermediate's, listed once there and documented and
    tested here (YAML meta bi_facing_mart_of). No name: personal data stays
    in staging, and pytests/test_portfolio.py fails on any mart column or
    value that looks like a person's name.
#}

with

customers as (
    select * from {{ ref('int_customers_risk_tiered') }}
),

final as (
    select * from customers
)

select * from final
