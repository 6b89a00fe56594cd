{#
    Every disbursed Family A loan (orders with a disbursal date; the others
    are applications, outside the portfolio) with what does not change over
    its life: principal, dates, a summary of its schedule and payments, and
    the data-quality flags that do not depend on the reporting date.
    Table: read by the reporting calendar, the loan-month states and
    int_loans_repayment_scored.
#}

with

orders as (
    select * from {{ ref('stg_family_a__orders') }}
    where disbursed_date is not null
),

instalments as (
    select * from {{ ref('int_loan_instalments_scheduled') }}
),

payment_days as (
    select * from {{ ref('int_loan_payments_cumulated') }}
),

schedules as (
    select
        loan_id,
        count(*) as scheduled_instalments_count,
        max(scheduled_cumulative_amount) as scheduled_total_amount,
        {{ dbt.bool_or('is_plan_step_down') }} as has_plan_step_down,
        min(planned_date) as first_planned_date,
        max(planned_date) as last_planned_date
    from instalments
    group by loan_id
),

first_payments as (
    select
        loan_id,
        min(paid_date) as first_paid_date
    from payment_days
    group by loan_id
),

final as (
    select
        -- ids
        orders.loan_id,
        -- measures
        orders.principal_amount,
        coalesce(schedules.scheduled_total_amount, 0) as scheduled_total_amount,
        coalesce(schedules.scheduled_instalments_count, 0) as scheduled_instalments_count,
        {{ dbt.datediff('orders.disbursed_date', 'schedules.last_planned_date', 'day') }}
            as term_days,
        -- flags
        schedules.loan_id is null as has_no_schedule,
        coalesce(schedules.has_plan_step_down, false) as has_plan_step_down,
        coalesce(
            schedules.scheduled_total_amount < orders.principal_amount, false
        ) as has_schedule_below_principal,
        coalesce(
            first_payments.first_paid_date < orders.disbursed_date, false
        ) as has_payment_before_disbursal,
        -- dates
        orders.created_date,
        orders.disbursed_date,
        cast({{ dbt.date_trunc('month', 'orders.disbursed_date') }} as date) as disbursal_month,
        orders.closed_date,
        schedules.first_planned_date,
        schedules.last_planned_date,
        first_payments.first_paid_date
    from orders
    left join schedules
        on orders.loan_id = schedules.loan_id
    left join first_payments
        on orders.loan_id = first_payments.loan_id
)

select * from final
