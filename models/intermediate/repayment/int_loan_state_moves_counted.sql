{#
    The one home of a Family A loan's move between consecutive monthly
    snapshots, counted: for each reporting month m, how many loans were in
    one state at month m-1's snapshot and in another at m's. A state is the
    loan's DPD bucket, or `closed` (absorbing: a closed loan stays closed).
    A loan's first month has no earlier state and no move. The as-of
    month's month-to-date row is a move like any other (is_month_to_date
    says so). Both readers take their slice of it: rpt_roll_rates every
    month, int_loan_month_end_transitions the month-ends its matrices read.
    A loan closed before the month began (and disbursed before it) was
    closed at the previous snapshot too: those closed -> closed moves, most
    of an old book's, are counted without ordering each loan's history;
    only the other loans go through the window that pairs consecutive
    months (a loan's months are consecutive from its disbursal month on).
#}

with

loan_months as (
    select * from {{ ref('int_loan_months_snapshotted') }}
),

states as (
    select
        loan_id,
        reporting_month,
        snapshot_date,
        is_month_to_date,
        case when is_closed then 'closed' else dpd_bucket end as loan_state,
        {{ was_closed_before_month() }} as was_closed_before
    from loan_months
),

closed_moves as (
    select
        reporting_month,
        snapshot_date,
        is_month_to_date,
        'closed' as from_state,
        'closed' as to_state
    from states
    where was_closed_before
),

{# The other rows keep each loan's previous row: it is never a closed -> closed row. #}
ordered_moves as (
    select
        reporting_month,
        snapshot_date,
        is_month_to_date,
        lag(loan_state) over (
            partition by loan_id
            order by reporting_month
        ) as from_state,
        loan_state as to_state
    from states
    where not was_closed_before
),

moves as (
    select * from closed_moves
    union all
    select * from ordered_moves
),

counted as (
    select
        reporting_month,
        snapshot_date,
        is_month_to_date,
        from_state,
        to_state,
        count(*) as loans_count
    from moves
    where from_state is not null
    group by reporting_month, snapshot_date, is_month_to_date, from_state, to_state
),

final as (
    select
        -- dimensions
        reporting_month,
        from_state,
        to_state,
        -- measures
        cast(loans_count as {{ dbt.type_bigint() }}) as loans_count,
        -- dates
        snapshot_date,
        is_month_to_date
    from counted
)

select * from final
