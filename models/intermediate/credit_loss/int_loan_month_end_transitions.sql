{#
    The Family A loans' moves between consecutive month-end snapshots,
    counted: how many loans were in one state (DPD bucket, or `closed`) at a
    month-end and in another at the next: the month-end slice of
    int_loan_state_moves_counted. Only month-end snapshots count: the
    as-of month's month-to-date row is not a month-end. Only the months
    some evaluation date's matrix can read are kept: a window ends at most
    one month before its evaluation month and spans var pd_lookback_months
    month-ends, so its first transition starts at most pd_lookback_months
    + 1 months before the evaluation month, and the moves into that first
    month are not read either. Older history never reaches a matrix.
    Grain: one row per (to_month_end_date, from_state, to_state).
#}

{%- set lookback_months = var('pd_lookback_months') %}

with

evaluation_dates as (
    select * from {{ ref('int_credit_loss_evaluation_dates') }}
),

moves as (
    select * from {{ ref('int_loan_state_moves_counted') }}
    where not is_month_to_date
),

first_month_read as (
    select
        cast({{ dbt.dateadd(
            'month', -(lookback_months + 1), 'min(evaluation_month)'
        ) }} as date) as first_reporting_month
    from evaluation_dates
),

recent_moves as (
    select moves.*
    from moves
    inner join first_month_read
        on moves.reporting_month > first_month_read.first_reporting_month
),

final as (
    select
        -- dimensions
        from_state,
        to_state,
        -- measures
        loans_count as transitions_count,
        -- dates
        cast({{ dbt.last_day(dbt.dateadd('month', -1, 'reporting_month'), 'month') }} as date)
            as from_month_end_date,
        snapshot_date as to_month_end_date
    from recent_moves
)

select * from final
