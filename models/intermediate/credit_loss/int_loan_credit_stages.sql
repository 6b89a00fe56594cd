{#
    The IFRS 9 stage of each active Family A loan at each evaluation date d:
    3 when its DPD at d > 90 (dpd_over_90); else 2 when its DPD at d > 30
    (dpd_over_30) or its DPD was > 30 at any of the var
    stage_probation_months month-end snapshots before d, i.e. the month-ends
    of the months before d's month (probation, a cure on probation); else 1
    (performing). Also the loan's credit state (DPD bucket) at d. Closed
    loans carry no allowance and have no row.
#}

{%- set probation_months = var('stage_probation_months') %}
{%- if probation_months is not number or probation_months < 0 %}
    {{ exceptions.raise_compiler_error("var stage_probation_months must be a whole number >= 0, got " ~ probation_months) }}
{%- endif %}

with

evaluation_dates as (
    select * from {{ ref('int_credit_loss_evaluation_dates') }}
),

loan_months as (
    select * from {{ ref('int_loan_months_snapshotted') }}
),

loans_at_date as (
    select
        evaluation_dates.evaluation_date,
        evaluation_dates.evaluation_month,
        evaluation_dates.is_as_of_date,
        loan_months.loan_id,
        loan_months.dpd_bucket as credit_state,
        loan_months.days_past_due,
        cast({{ dbt.dateadd(
            'month', -probation_months, 'evaluation_dates.evaluation_month'
        ) }} as date) as probation_first_month
    from evaluation_dates
    inner join loan_months
        on evaluation_dates.evaluation_date = loan_months.snapshot_date
    where loan_months.is_active
),

{#
    The month-ends any probation window reads: a loan active at an
    evaluation date was active before it too (closed is absorbing).
#}
probation_start as (
    select min(probation_first_month) as first_month
    from loans_at_date
),

{# A filter, not a join on >=: Spark fails to plan that join over unit-test inputs. #}
probation_months as (
    select *
    from loan_months
    where
        is_active
        and not is_month_to_date
        and reporting_month >= (select probation_start.first_month from probation_start)
),

probation_history as (
    select
        loans_at_date.evaluation_date,
        loans_at_date.loan_id,
        max(probation_months.days_past_due) as max_days_past_due_in_probation
    from loans_at_date
    inner join probation_months
        on
            loans_at_date.loan_id = probation_months.loan_id
            and loans_at_date.probation_first_month <= probation_months.reporting_month
            and loans_at_date.evaluation_month > probation_months.reporting_month
    group by loans_at_date.evaluation_date, loans_at_date.loan_id
),

staged as (
    select
        loans_at_date.*,
        coalesce(probation_history.max_days_past_due_in_probation, 0)
            as max_days_past_due_in_probation,
        case
            when loans_at_date.days_past_due > 90 then 'dpd_over_90'
            when loans_at_date.days_past_due > 30 then 'dpd_over_30'
            when coalesce(probation_history.max_days_past_due_in_probation, 0) > 30 then 'probation'
            else 'performing'
        end as stage_reason
    from loans_at_date
    left join probation_history
        on
            loans_at_date.evaluation_date = probation_history.evaluation_date
            and loans_at_date.loan_id = probation_history.loan_id
),

final as (
    select
        -- ids
        loan_id,
        -- dimensions
        case stage_reason
            when 'dpd_over_90' then 3
            when 'performing' then 1
            else 2
        end as stage,  -- noqa: RF04
        stage_reason,
        credit_state,
        -- measures
        days_past_due,
        max_days_past_due_in_probation,
        -- flags
        is_as_of_date,
        -- dates
        evaluation_date
    from staged
)

select * from final
