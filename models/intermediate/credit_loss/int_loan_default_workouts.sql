{#
    The workout of each defaulted Family A loan, the observations of the
    workout LGD. Default date = the loan's first month-end snapshot in 90+.
    Its workout window ends at the month-end var lgd_workout_months calendar
    months after the default month-end. EAD_default = principal outstanding
    at the default date. Recoveries = payments dated in (default date,
    window end], each discounted by (1 + r/12)^-k, r = var
    ecl_discount_rate_annual, k = calendar months from the default month to
    the payment's month. Loan LGD = clamp(1 - PV(recoveries) / EAD_default,
    0, 1), null when EAD_default = 0 (not an observation). A loan whose
    window has not ended by an evaluation date is not yet an observation at
    that date (int_credit_loss_lgd_estimates filters on window_end_date).
    A table: its data tests and readers would each rescan the loan-month
    states and payments otherwise.
#}

{%- set workout_months = var('lgd_workout_months') %}
{%- set annual_rate = var('ecl_discount_rate_annual') %}
{%- if workout_months is not number or workout_months < 1 %}
    {{ exceptions.raise_compiler_error("var lgd_workout_months must be a whole number >= 1, got " ~ workout_months) }}
{%- endif %}
{%- if annual_rate is not number or annual_rate < 0 %}
    {{ exceptions.raise_compiler_error("var ecl_discount_rate_annual must be a number >= 0, got " ~ annual_rate) }}
{%- endif %}

with

loan_months as (
    select * from {{ ref('int_loan_months_snapshotted') }}
),

payment_days as (
    select * from {{ ref('int_loan_payments_cumulated') }}
),

month_ends_in_default as (
    select
        loan_id,
        reporting_month,
        snapshot_date,
        principal_outstanding_amount,
        row_number() over (
            partition by loan_id
            order by reporting_month
        ) as default_sequence
    from loan_months
    where
        not is_month_to_date
        and dpd_bucket = '{{ credit_loss_default_state() }}'
),

defaults as (
    select
        loan_id,
        reporting_month as default_month,
        snapshot_date as default_date,
        cast({{ dbt.last_day(
            dbt.dateadd('month', workout_months, 'reporting_month'), 'month'
        ) }} as date) as window_end_date,
        principal_outstanding_amount as ead_at_default_amount
    from month_ends_in_default
    where default_sequence = 1
),

recovery_payments as (
    select
        defaults.loan_id,
        payment_days.paid_amount,
        payment_days.paid_amount
        * power(
            1 + cast({{ annual_rate }} as {{ type_double() }}) / 12,
            -{{ dbt.datediff(
                'defaults.default_month',
                dbt.date_trunc('month', 'payment_days.paid_date'),
                'month'
            ) }}
        ) as paid_present_value_amount
    from defaults
    inner join payment_days
        on
            defaults.loan_id = payment_days.loan_id
            and defaults.default_date < payment_days.paid_date
            and defaults.window_end_date >= payment_days.paid_date
),

recoveries as (
    select
        loan_id,
        sum(paid_amount) as recovered_amount,
        {{ exact_sum('paid_present_value_amount') }} as recovered_present_value_amount
    from recovery_payments
    group by loan_id
),

measured as (
    select
        defaults.*,
        coalesce(recoveries.recovered_amount, 0) as recovered_amount,
        cast(
            coalesce(recoveries.recovered_present_value_amount, 0) as {{ type_double() }}
        ) as recovered_present_value_amount
    from defaults
    left join recoveries
        on defaults.loan_id = recoveries.loan_id
),

final as (
    select
        -- ids
        loan_id,
        -- measures
        ead_at_default_amount,
        recovered_amount,
        recovered_present_value_amount,
        case
            when ead_at_default_amount > 0
                then
                    least(
                        greatest(1 - recovered_present_value_amount / ead_at_default_amount, 0), 1
                    )
        end as loss_given_default,
        -- flags
        ead_at_default_amount > 0 as is_lgd_observation,
        -- dates
        default_month,
        default_date,
        window_end_date
    from measured
)

select * from final
