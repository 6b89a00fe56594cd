{#
    How Family A loans moved between stages from the month-end before the
    as-of month (opening) to as_of_date (closing): loans and gross carrying
    amount at both dates per (from_stage, to_stage). A loan disbursed after
    the opening date comes from `new`; a loan active at the opening date and
    closed by as_of_date goes to `derecognised`. Every pair observed is a
    row.
#}

with

allowance_changes as (
    select * from {{ ref('int_loan_allowance_changes') }}
),

labelled as (
    select
        coalesce('stage_' || cast(opening_stage as {{ dbt.type_string() }}), 'new') as from_stage,
        coalesce('stage_' || cast(closing_stage as {{ dbt.type_string() }}), 'derecognised')
            as to_stage,
        coalesce(opening_stage, 0) as from_stage_order,
        coalesce(closing_stage, 4) as to_stage_order,
        coalesce(opening_carrying_amount, 0) as opening_carrying_amount,
        coalesce(closing_carrying_amount, 0) as closing_carrying_amount,
        opening_date,
        as_of_date
    from allowance_changes
),

counted as (
    select
        from_stage,
        to_stage,
        from_stage_order,
        to_stage_order,
        opening_date,
        as_of_date,
        count(*) as loans,
        sum(opening_carrying_amount) as opening_carrying_amount,
        sum(closing_carrying_amount) as closing_carrying_amount
    from labelled
    group by from_stage, to_stage, from_stage_order, to_stage_order, opening_date, as_of_date
),

final as (
    select
        -- dimensions
        from_stage,
        to_stage,
        from_stage_order,
        to_stage_order,
        -- measures
        cast(loans as {{ dbt.type_bigint() }}) as loans,
        cast(opening_carrying_amount as decimal(18, 2)) as opening_carrying_amount,
        cast(closing_carrying_amount as decimal(18, 2)) as closing_carrying_amount,
        -- dates
        opening_date,
        as_of_date
    from counted
)

select * from final
