{#
    The Family B loan book as of the Family B reporting date: every loan that
    started on or before it (a loan starting later is not in the book then),
    against its annuity schedule: how many monthly instalments have fallen
    due (full months since start_date, capped at the term), the principal an
    annuity loan would have repaid by then, and whether an active loan is
    behind it. Status and amounts are those of the extract (doc
    family_b_as_of_meaning). The one home of the book's membership,
    is_active, expected_paid_amount and is_behind_schedule.
#}

{%- set tolerance = var('behind_schedule_tolerance_amount') -%}

with

loans as (
    select * from {{ ref('stg_family_b__loans') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
    where portfolio = 'family_b'
),

months_counted as (
    select
        loans.loan_id,
        loans.customer_id,
        loans.branch_id,
        loans.loan_status,
        loans.principal_amount,
        loans.interest_rate_pct,
        loans.term_months,
        loans.reported_paid_amount,
        loans.reported_outstanding_amount,
        loans.start_date,
        loans.end_date,
        reporting_dates.as_of_date,
        reporting_dates.as_of_date < reporting_dates.latest_event_date
            as is_as_of_before_extract,
        cast(loans.interest_rate_pct as {{ type_double() }}) / 1200 as monthly_rate,
        least(
            greatest(
                {{ full_months_between('loans.start_date', 'reporting_dates.as_of_date') }}, 0
            ),
            loans.term_months
        ) as months_elapsed
    from loans
    inner join reporting_dates
        on loans.start_date <= reporting_dates.as_of_date
),

amortised as (
    select
        *,
        {#- principal repaid after k of n annuity payments at monthly rate r:
            P * ((1 + r)^k - 1) / ((1 + r)^n - 1); straight-line P * k / n at 0 %. #}
        case
            when monthly_rate = 0
                then cast(principal_amount as {{ type_double() }}) * months_elapsed / term_months
            else
                principal_amount
                * (power(1 + monthly_rate, months_elapsed) - 1)
                / (power(1 + monthly_rate, term_months) - 1)
        end as expected_paid_unrounded
    from months_counted
),

gaps as (
    select
        *,
        loan_status in ('In Progress', 'Approved') as is_active,
        cast({{ round_half_up('expected_paid_unrounded') }} as decimal(18, 2))
            as expected_paid_amount
    from amortised
),

final as (
    select
        -- ids
        loan_id,
        customer_id,
        branch_id,
        -- dimensions
        loan_status,
        is_active,
        is_as_of_before_extract,
        case
            when is_active
                then expected_paid_amount - reported_paid_amount > {{ tolerance }}
        end as is_behind_schedule,
        -- measures
        principal_amount,
        interest_rate_pct,
        term_months,
        months_elapsed,
        reported_paid_amount,
        reported_outstanding_amount,
        expected_paid_amount,
        expected_paid_amount - reported_paid_amount as schedule_gap_amount,
        -- dates
        start_date,
        end_date,
        as_of_date
    from gaps
)

select * from final
