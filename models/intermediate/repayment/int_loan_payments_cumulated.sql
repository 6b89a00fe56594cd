{#
    Family A payments per loan and day, with the running totals: several
    payments on one day are one step of the cumulative paid amount. Sums are
    cast back to decimal(18, 2) / bigint so the marts expose types every BI
    driver reads (a bare sum widens to decimal(38, 2) / hugeint).
    Table: read by the coverage, loan and loan-month models and the trend.
#}

with

payments as (
    select * from {{ ref('stg_family_a__payments') }}
),

payment_days as (
    select
        loan_id,
        paid_date,
        cast(sum(paid_amount) as decimal(18, 2)) as paid_amount,
        cast(count(*) as {{ dbt.type_bigint() }}) as payments_count
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
        cast(sum(paid_amount) over (
            partition by loan_id
            order by paid_date
            rows between unbounded preceding and current row
        ) as decimal(18, 2)) as cumulative_paid_amount,
        cast(sum(payments_count) over (
            partition by loan_id
            order by paid_date
            rows between unbounded preceding and current row
        ) as {{ dbt.type_bigint() }}) as cumulative_payments_count,
        -- dates
        paid_date
    from payment_days
)

select * from final
