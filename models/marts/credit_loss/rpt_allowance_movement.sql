{#
    The reconciliation of the Family A loss allowance (IFRS 7.35H style) by
    stage from the month-end before the as-of month (opening) to as_of_date
    (closing), each date measured with its own transition matrix, PD term
    structure and LGD. Lines, in order: opening; new loans (closing
    allowance of loans disbursed since); derecognised (minus the opening
    allowance of loans closed since); transfer to stage 1 / 2 / 3 (a loan
    changing stage moves its opening allowance out of its old stage and into
    its new one, so each transfer line sums to 0 over the stages);
    remeasurement (closing - opening allowance of the loans at both dates,
    in their closing stage); closing. Amounts are the allowances booked per
    loan (ECL to the cent), so opening + the movement lines = closing to the
    cent. One row per (stage, movement); every line of every stage is a row.
#}

with

allowance_changes as (
    select * from {{ ref('int_loan_allowance_changes') }}
),

paired as (
    select
        opening_stage,
        closing_stage,
        opening_allowance_amount as opening_amount,
        closing_allowance_amount as closing_amount
    from allowance_changes
),

dates as (
    select
        max(opening_date) as opening_date,
        max(as_of_date) as as_of_date
    from allowance_changes
),

movement_lines as (
    select
        opening_stage as stage,  -- noqa: RF04
        'opening' as movement,
        opening_amount as allowance_amount
    from paired
    where opening_stage is not null
    union all
    select
        closing_stage as stage,  -- noqa: RF04
        'new_loans' as movement,
        closing_amount as allowance_amount
    from paired
    where opening_stage is null
    union all
    select
        opening_stage as stage,  -- noqa: RF04
        'derecognised' as movement,
        -opening_amount as allowance_amount
    from paired
    where closing_stage is null
    union all
    select
        opening_stage as stage,  -- noqa: RF04
        'transfer_to_stage_' || cast(closing_stage as {{ dbt.type_string() }}) as movement,
        -opening_amount as allowance_amount
    from paired
    where opening_stage <> closing_stage
    union all
    select
        closing_stage as stage,  -- noqa: RF04
        'transfer_to_stage_' || cast(closing_stage as {{ dbt.type_string() }}) as movement,
        opening_amount as allowance_amount
    from paired
    where opening_stage <> closing_stage
    union all
    select
        closing_stage as stage,  -- noqa: RF04
        'remeasurement' as movement,
        closing_amount - opening_amount as allowance_amount
    from paired
    where opening_stage is not null and closing_stage is not null
    union all
    select
        closing_stage as stage,  -- noqa: RF04
        'closing' as movement,
        closing_amount as allowance_amount
    from paired
    where closing_stage is not null
),

line_list as (
    select
        'opening' as movement,
        1 as movement_order
    union all
    select
        'new_loans' as movement,
        2 as movement_order
    union all
    select
        'derecognised' as movement,
        3 as movement_order
    union all
    select
        'transfer_to_stage_1' as movement,
        4 as movement_order
    union all
    select
        'transfer_to_stage_2' as movement,
        5 as movement_order
    union all
    select
        'transfer_to_stage_3' as movement,
        6 as movement_order
    union all
    select
        'remeasurement' as movement,
        7 as movement_order
    union all
    select
        'closing' as movement,
        8 as movement_order
),

stage_list as (
    select 1 as stage  -- noqa: RF04
    union all
    select 2 as stage  -- noqa: RF04
    union all
    select 3 as stage  -- noqa: RF04
),

grid as (
    select
        stage_list.stage,
        line_list.movement,
        line_list.movement_order
    from stage_list
    cross join line_list
),

summed as (
    select
        grid.stage,
        grid.movement,
        grid.movement_order,
        count(movement_lines.stage) as loans,
        coalesce(sum(movement_lines.allowance_amount), 0) as allowance_amount
    from grid
    left join movement_lines
        on
            grid.stage = movement_lines.stage
            and grid.movement = movement_lines.movement
    group by grid.stage, grid.movement, grid.movement_order
),

final as (
    select
        -- dimensions
        summed.stage,
        summed.movement,
        summed.movement_order,
        -- measures
        cast(summed.loans as {{ dbt.type_bigint() }}) as loans,
        cast(summed.allowance_amount as decimal(18, 2)) as allowance_amount,
        -- dates
        dates.opening_date,
        dates.as_of_date
    from summed
    cross join dates
)

select * from final
