{#
    One row per Family A loan and day on which its coverage advanced: the
    last instalment covered that day (so the count of instalments covered
    by then, coverage being first in first out), the worst lateness of the
    instalments covered so far, and the due date of the first instalment
    still uncovered (null once all are). Built from
    int_loan_instalments_covered; int_loan_months_snapshotted looks it up
    as of each snapshot date.
    Table: computed once (its windows sort every instalment) rather than
    again by each of its tests and by its reader.
#}

with

instalments as (
    select * from {{ ref('int_loan_instalments_covered') }}
),

instalments_in_order as (
    select
        *,
        max(days_late_when_covered) over (
            partition by loan_id
            order by instalment_number
            rows between unbounded preceding and current row
        ) as worst_covered_days_late,
        lead(planned_date) over (
            partition by loan_id
            order by instalment_number
        ) as next_planned_date,
        lead(covered_date) over (
            partition by loan_id
            order by instalment_number
        ) as next_covered_date
    from instalments
),

final as (
    select
        -- ids
        loan_id,
        -- measures
        instalment_number as covered_instalments_count,
        worst_covered_days_late,
        -- dates
        covered_date,
        next_planned_date as first_uncovered_planned_date
    from instalments_in_order
    where
        covered_date is not null
        and (next_covered_date is null or next_covered_date > covered_date)
)

select * from final
