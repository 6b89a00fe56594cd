{#
    Roll rates of the Family A book: for each reporting month m, how the
    loans in each state at the previous month's snapshot moved by m's
    snapshot, as a share of the loans in that state. The moves are counted
    in int_loan_state_moves_counted (states, closed absorbing, a loan's
    first month without a move); every observed (from, to) pair is a row,
    a pair with no loans is absent.
#}

with

moves as (
    select * from {{ ref('int_loan_state_moves_counted') }}
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
        loans_count as loans,
        cast(
            sum(loans_count) over (partition by reporting_month, from_state)
            as {{ dbt.type_bigint() }}
        ) as from_state_loans,
        {{ safe_divide(
            'loans_count', 'sum(loans_count) over (partition by reporting_month, from_state)'
        ) }} as share_of_from_state,
        -- dates
        snapshot_date,
        is_month_to_date
    from moves
)

select * from final
