{#
    The date each scheduled instalment was covered, first in first out: the
    first day on which the loan's cumulative payments reach the instalment's
    cumulative scheduled amount minus var arrears_tolerance (one ASOF join of
    instalments against cumulative payments per loan). Null = not covered by
    any loaded payment. Covered dates never decrease along a loan's schedule,
    so at any date the covered instalments are a prefix of it.
    Table: an ASOF join over every instalment, read by int_loan_coverage_steps.
#}

{%- set arrears_tolerance = var('arrears_tolerance') %}

with

instalments as (
    select * from {{ ref('int_loan_instalments_scheduled') }}
),

payment_days as (
    select * from {{ ref('int_loan_payments_cumulated') }}
),

thresholds as (
    select
        loan_id,
        instalment_number,
        scheduled_cumulative_amount,
        instalment_amount,
        scheduled_cumulative_amount - {{ arrears_tolerance }} as coverage_threshold_amount,
        planned_date,
        min(planned_date) over (partition by loan_id) as first_planned_date
    from instalments
),

{# The first payment day whose cumulative amount reaches the threshold. #}
reached as (
    select
        thresholds.*,
        payment_days.paid_date as reached_date
    from thresholds
    {{ asof_left_join(
        probe_relation='thresholds',
        relation='payment_days',
        alias='payment_days',
        match_columns=['loan_id'],
        probe_value='thresholds.coverage_threshold_amount',
        operator='<=',
        key_column='cumulative_paid_amount',
    ) }}
),

{#
    An instalment within the tolerance of zero needs no payment: it counts
    as covered from the loan's first scheduled or paid date, whichever is
    earlier (never late, and never after a later instalment's cover).
#}
covered as (
    select
        *,
        case
            when coverage_threshold_amount <= 0
                then least(first_planned_date, coalesce(reached_date, first_planned_date))
            else reached_date
        end as covered_date
    from reached
),

final as (
    select
        -- ids
        loan_id,
        instalment_number,
        -- measures
        scheduled_cumulative_amount,
        instalment_amount,
        coverage_threshold_amount,
        case
            when covered_date is not null
                then greatest({{ dbt.datediff('planned_date', 'covered_date', 'day') }}, 0)
        end as days_late_when_covered,
        -- dates
        planned_date,
        covered_date
    from covered
)

select * from final
