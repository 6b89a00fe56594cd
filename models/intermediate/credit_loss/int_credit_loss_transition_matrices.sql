{#
    The month-end transition matrix P of each evaluation date (cohort
    method, pooled): the transitions whose later month-end is on or before
    the evaluation date, the latest var pd_lookback_months month-ends of
    them. P[i, j] = loans i -> j / loans leaving i over the window. Rows of
    the absorbing states (90+ = default, closed) are the identity whatever
    was observed (a cure out of 90+ is counted in rpt_roll_rates, not here);
    a state no loan left in the window gets an identity row, flagged.
    Every (from_state, to_state) pair of every evaluation date is a row.
    A table: nine data tests and two readers would each recount the
    transitions otherwise.
#}

{%- set lookback_months = var('pd_lookback_months') %}
{%- if lookback_months is not number or lookback_months < 1 %}
    {{ exceptions.raise_compiler_error("var pd_lookback_months must be a whole number >= 1, got " ~ lookback_months) }}
{%- endif %}
{%- set states = credit_loss_states() %}
{%- set absorbing_list = "'" ~ credit_loss_absorbing_states() | join("', '") ~ "'" %}

with

evaluation_dates as (
    select * from {{ ref('int_credit_loss_evaluation_dates') }}
),

transitions as (
    select * from {{ ref('int_loan_month_end_transitions') }}
),

{# The last month-end on or before the evaluation date closes the window. #}
windows as (
    select
        evaluation_date,
        is_as_of_date,
        case
            when evaluation_date = {{ dbt.last_day('evaluation_date', 'month') }}
                then evaluation_month
            else cast({{ dbt.dateadd('month', -1, 'evaluation_month') }} as date)
        end as window_last_month
    from evaluation_dates
),

window_bounds as (
    select
        evaluation_date,
        is_as_of_date,
        cast({{ dbt.last_day(
            dbt.dateadd('month', 1 - lookback_months, 'window_last_month'), 'month'
        ) }} as date) as window_first_month_end_date,
        cast({{ dbt.last_day('window_last_month', 'month') }} as date) as window_last_month_end_date
    from windows
),

state_list as (
    {%- for state in states %}
        select
            '{{ state.label }}' as credit_state,
            {{ loop.index }} as state_order
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

state_pairs as (
    select
        window_bounds.evaluation_date,
        window_bounds.is_as_of_date,
        window_bounds.window_first_month_end_date,
        window_bounds.window_last_month_end_date,
        from_states.credit_state as from_state,
        from_states.state_order as from_state_order,
        to_states.credit_state as to_state,
        to_states.state_order as to_state_order
    from window_bounds
    cross join state_list as from_states
    cross join state_list as to_states
),

observed as (
    select
        window_bounds.evaluation_date,
        transitions.from_state,
        transitions.to_state,
        sum(transitions.transitions_count) as loans
    from window_bounds
    inner join transitions
        on
            window_bounds.window_first_month_end_date <= transitions.to_month_end_date
            and window_bounds.window_last_month_end_date >= transitions.to_month_end_date
    group by window_bounds.evaluation_date, transitions.from_state, transitions.to_state
),

counted as (
    select
        state_pairs.*,
        cast(coalesce(observed.loans, 0) as {{ dbt.type_bigint() }}) as transitions_count,
        cast(sum(coalesce(observed.loans, 0)) over (
            partition by state_pairs.evaluation_date, state_pairs.from_state
        ) as {{ dbt.type_bigint() }}) as from_state_transitions_count
    from state_pairs
    left join observed
        on
            state_pairs.evaluation_date = observed.evaluation_date
            and state_pairs.from_state = observed.from_state
            and state_pairs.to_state = observed.to_state
),

flagged as (
    select
        *,
        from_state in ({{ absorbing_list }}) as is_absorbing_state,
        from_state_transitions_count = 0 as is_unobserved_state
    from counted
),

final as (
    select
        -- dimensions
        from_state,
        to_state,
        from_state_order,
        to_state_order,
        -- measures
        transitions_count,
        from_state_transitions_count,
        cast(
            case
                when is_absorbing_state or is_unobserved_state
                    then case when from_state = to_state then 1 else 0 end
                else transitions_count * 1.0 / from_state_transitions_count
            end as {{ type_double() }}
        ) as transition_probability,
        -- flags
        is_absorbing_state,
        is_unobserved_state,
        is_as_of_date,
        -- dates
        evaluation_date,
        window_first_month_end_date,
        window_last_month_end_date
    from flagged
)

select * from final
