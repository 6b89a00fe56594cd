{#
    PD term structure of each evaluation date: cumulative PD from state i
    over h months, cPD_i(h) = (P^h)[i, default], for h = 1 ..
    var ecl_max_horizon_months, and marginal mPD_i(h) = cPD_i(h) - cPD_i(h-1)
    (cPD_i(0) = 1 for default itself, else 0). The matrix powers come from
    the dispatched macro matrix_power_rows (repeated multiplication by P).
    A table: its data tests and readers would each redo the matrix powers
    otherwise.
#}

{%- set max_horizon = var('ecl_max_horizon_months') %}
{%- if max_horizon is not number or max_horizon < 1 %}
    {{ exceptions.raise_compiler_error("var ecl_max_horizon_months must be a whole number >= 1, got " ~ max_horizon) }}
{%- endif %}
{%- set default_label = credit_loss_default_state() %}
{%- set states = credit_loss_states() %}
{%- set default_state = states | selectattr('label', 'equalto', default_label) | first %}

with

transition_matrices as (
    select * from {{ ref('int_credit_loss_transition_matrices') }}
),

evaluation_flags as (
    select distinct
        evaluation_date,
        is_as_of_date
    from transition_matrices
),

matrix as (
    select
        evaluation_date,
        from_state,
        to_state,
        transition_probability as probability
    from transition_matrices
),

powers as (
    {{ matrix_power_rows('matrix', max_horizon) }}
),

cumulative as (
    select
        evaluation_date,
        from_state,
        power as horizon_months,
        reach_{{ default_state.column }} as cumulative_pd,
        lag(reach_{{ default_state.column }}) over (
            partition by evaluation_date, from_state
            order by power
        ) as previous_cumulative_pd
    from powers
),

final as (
    select
        -- dimensions
        cumulative.from_state,
        {{ dpd_bucket_order('cumulative.from_state') }} as from_state_order,
        cumulative.horizon_months,
        -- measures
        cumulative.cumulative_pd,
        cumulative.cumulative_pd - cumulative.previous_cumulative_pd as marginal_pd,
        -- flags
        evaluation_flags.is_as_of_date,
        -- dates
        cumulative.evaluation_date
    from cumulative
    inner join evaluation_flags
        on cumulative.evaluation_date = evaluation_flags.evaluation_date
    where cumulative.horizon_months >= 1
)

select * from final
