{#
    The Family A loss allowance by stage at as_of_date: loans, gross
    carrying amount (principal outstanding), ECL, allowance booked and
    coverage (ECL / gross carrying amount). All three stages are rows, an
    empty stage with 0 loans and null coverage.
#}

with

expected_credit_losses as (
    select * from {{ ref('int_loan_expected_credit_losses') }}
    where is_as_of_date
),

as_of_dates as (
    select max(evaluation_date) as as_of_date
    from expected_credit_losses
),

stage_list as (
    select 1 as stage  -- noqa: RF04
    union all
    select 2 as stage  -- noqa: RF04
    union all
    select 3 as stage  -- noqa: RF04
),

stages as (
    select
        as_of_dates.as_of_date,
        stage_list.stage
    from as_of_dates
    cross join stage_list
),

totals as (
    select
        stages.as_of_date,
        stages.stage,
        count(expected_credit_losses.loan_id) as loans,
        coalesce(sum(expected_credit_losses.ead_amount), 0) as gross_carrying_amount,
        coalesce({{ exact_sum('expected_credit_losses.ecl_amount') }}, 0) as ecl_amount,
        coalesce(sum(expected_credit_losses.allowance_amount), 0) as allowance_amount
    from stages
    left join expected_credit_losses
        on
            stages.as_of_date = expected_credit_losses.evaluation_date
            and stages.stage = expected_credit_losses.stage
    group by stages.as_of_date, stages.stage
),

final as (
    select
        -- dimensions
        stage,
        -- measures
        cast(loans as {{ dbt.type_bigint() }}) as loans,
        cast(gross_carrying_amount as decimal(18, 2)) as gross_carrying_amount,
        cast(ecl_amount as {{ type_double() }}) as ecl_amount,
        cast(allowance_amount as decimal(18, 2)) as allowance_amount,
        cast({{ safe_divide('ecl_amount', 'gross_carrying_amount') }} as {{ type_double() }})
            as coverage_ratio,
        -- dates
        as_of_date
    from totals
)

select * from final
