{#
    The Family A loans' moves between consecutive month-end snapshots,
    counted: how many loans were in one state (DPD bucket, or `closed`) at a
    month-end and in another at the next. Only
    month-end snapshots count: the as-of month's month-to-date row is not a
    month-end. The first month-end of a loan has no transition (no earlier
    state). Only the months some evaluation date's matrix can read are kept:
    a window ends at most one month before its evaluation month and spans
    var pd_lookback_months month-ends, so its first transition starts at
    most pd_lookback_months + 1 months before the evaluation month. Older
    history never reaches a matrix, and skipping it keeps this table a small
    slice of the loan-month states instead of all of them.
    A loan closed before the month began was closed at the previous
    month-end too (closed is absorbing): those closed -> closed moves, most
    of an old book's, are counted without ordering each loan's history;
    only the other loans go through the window that pairs consecutive
    month-ends. Counts, not one row per loan and month: the matrices read
    nothing else, and per loan this table held most of the loan-month
    states again.
    Grain: one row per (to_month_end_date, from_state, to_state).
#}

{{ config(materialized='table') }}

{%- set lookback_months = var('pd_lookback_months') %}

with

evaluation_dates as (
    select * from {{ ref('int_credit_loss_evaluation_dates') }}
),

loan_months as (
    select * from {{ ref('int_loan_months_snapshotted') }}
    where not is_month_to_date
),

first_month_read as (
    select
        cast({{ dbt.dateadd(
            'month', -(lookback_months + 1), 'min(evaluation_month)'
        ) }} as date) as first_reporting_month
    from evaluation_dates
),

recent_loan_months as (
    select
        loan_months.*,
        first_month_read.first_reporting_month
    from loan_months
    inner join first_month_read
        on loan_months.reporting_month >= first_month_read.first_reporting_month
),

states as (
    select
        loan_id,
        reporting_month,
        snapshot_date,
        first_reporting_month,
        case when is_closed then 'closed' else dpd_bucket end as credit_state,
        {{ was_closed_before_month() }} as was_closed_before
    from recent_loan_months
),

{# The first month read has no earlier month-end in the slice: no transition, as below. #}
closed_counted as (
    select
        'closed' as from_state,
        'closed' as to_state,
        count(*) as transitions_count,
        cast({{ dbt.last_day(dbt.dateadd('month', -1, 'reporting_month'), 'month') }} as date)
            as from_month_end_date,
        snapshot_date as to_month_end_date
    from states
    where was_closed_before and reporting_month > first_reporting_month
    group by reporting_month, snapshot_date
),

ordered_pairs as (
    select
        loan_id,
        lag(reporting_month) over (
            partition by loan_id
            order by reporting_month
        ) as from_reporting_month,
        lag(snapshot_date) over (
            partition by loan_id
            order by reporting_month
        ) as from_month_end_date,
        lag(credit_state) over (
            partition by loan_id
            order by reporting_month
        ) as from_state,
        reporting_month as to_reporting_month,
        snapshot_date as to_month_end_date,
        credit_state as to_state
    from states
    where not was_closed_before
),

ordered_counted as (
    select
        from_state,
        to_state,
        count(*) as transitions_count,
        from_month_end_date,
        to_month_end_date
    from ordered_pairs
    where
        from_state is not null
        and from_reporting_month
        = cast({{ dbt.dateadd('month', -1, 'to_reporting_month') }} as date)
    group by from_state, to_state, from_month_end_date, to_month_end_date
),

counted as (
    select * from closed_counted
    union all
    select * from ordered_counted
),

final as (
    select
        -- dimensions
        from_state,
        to_state,
        -- measures
        cast(transitions_count as {{ dbt.type_bigint() }}) as transitions_count,
        -- dates
        from_month_end_date,
        to_month_end_date
    from counted
)

select * from final
