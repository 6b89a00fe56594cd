{#
    Family A payments per loan and day, with the running totals: several
    payments on one day are one step of the cumulative paid amount.
    Table: read by the coverage, loan and loan-month models and the trend.
#}

{{ config(materialized='table') }}

with

payments as (
    select * from {{ ref('stg_family_a__payments') }}
),

payment_days as (
    select
        loan_id,
        paid_date,
        sum(paid_amount) as paid_amount,
        count(*) as payments_count
    from payments
    group by loan_id, paid_date
),

final as (
    select
        -- ids
        loan_id,
        row_number() over (
            partition by loan_id
            order by paid_date
        ) as payment_day_number,
        -- measures
        paid_amount,
        payments_count,
        sum(paid_amount) over (
            partition by loan_id
            order by paid_date
            rows between unbounded preceding and current row
        ) as cumulative_paid_amount,
        sum(payments_count) over (
            partition by loan_id
            order by paid_date
            rows between unbounded preceding and current row
        ) as cumulative_payments_count,
        -- dates
        paid_date
    from payment_days
)

select * from final
