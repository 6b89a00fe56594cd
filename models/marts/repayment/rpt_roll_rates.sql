{#
    Roll rates of the Family A book: for each reporting month m, how the
    loans in each state at the previous month's snapshot moved by m's
    snapshot. States are the DPD buckets plus `closed`, which is absorbing
    (a closed loan stays closed). Loans disbursed in month m have no
    previous state and enter the next month's transitions. Every observed
    (from, to) pair is a row; a pair with no loans is absent.
    A loan closed before the month began and disbursed before it was closed
    at the previous snapshot too (closed -> closed): those rows, most of an
    old book's, are counted without ordering each loan's history.
#}

with

loan_states as (
    select * from {{ ref('int_loan_months_snapshotted') }}
),

states as (
    select
        loan_id,
        reporting_month,
        snapshot_date,
        is_month_to_date,
        case when is_closed then 'closed' else dpd_bucket end as roll_state,
        {{ was_closed_before_month() }} as was_closed_before
    from loan_states
),

closed_transitions as (
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
ordered_transitions as (
    select
        reporting_month,
        snapshot_date,
        is_month_to_date,
        lag(roll_state) over (
            partition by loan_id
            order by reporting_month
        ) as from_state,
        roll_state as to_state
    from states
    where not was_closed_before
),

transitions as (
    select * from closed_transitions
    union all
    select * from ordered_transitions
),

counted as (
    select
        reporting_month,
        snapshot_date,
        is_month_to_date,
        from_state,
        to_state,
        count(*) as loans
    from transitions
    where from_state is not null
    group by reporting_month, snapshot_date, is_month_to_date, from_state, to_state
),

final as (
    select
        -- dimensions
        reporting_month,
        from_state,
        to_state,
        {{ dpd_bucket_order('from_state') }} as from_state_order,
        {{ dpd_bucket_order('to_state') }} as to_state_order,
        -- measures
        loans,
        cast(
            sum(loans) over (partition by reporting_month, from_state) as {{ dbt.type_bigint() }}
        ) as from_state_loans,
        {{ safe_divide('loans', 'sum(loans) over (partition by reporting_month, from_state)') }}
            as share_of_from_state,
        -- dates
        snapshot_date,
        is_month_to_date
    from counted
)

select * from final
