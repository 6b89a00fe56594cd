{#
    Payments are allocated first in first out, so along each loan's
    schedule the covered dates never decrease and, once an instalment is
    not covered, no later one is. int_loan_months_snapshotted relies on it
    (the covered instalments at any date are a prefix of the schedule).
    Returns the instalments that break it.
#}

with

instalments as (
    select
        loan_id,
        instalment_number,
        covered_date,
        lag(covered_date) over (
            partition by loan_id
            order by instalment_number
        ) as previous_covered_date
    from {{ ref('int_loan_instalments_covered') }}
)

select * from instalments
where
    instalment_number > 1
    and covered_date is not null
    and (previous_covered_date is null or covered_date < previous_covered_date)
