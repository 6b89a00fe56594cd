{#
    matrix_power_rows: a select of the rows of P^h for h = 0 .. max_power,
    one row per (evaluation_date, from_state, power) with one column
    `reach_<state column>` per state: (P^h)[from_state, state].

    matrix_relation holds the square matrix P of each evaluation date in long
    form (evaluation_date, from_state, to_state, probability; every pair of
    credit_loss_states() present). Each power is the previous one times P
    (row vector times matrix, unrolled in Jinja over the states), through a
    recursive CTE: standard SQL, but engine-specific enough to live here.
#}
{% macro matrix_power_rows(matrix_relation, max_power) -%}
    {{ return(adapter.dispatch('matrix_power_rows', 'loans_warehouse')(matrix_relation, max_power)) }}
{%- endmacro %}

{% macro default__matrix_power_rows(matrix_relation, max_power) -%}
    {%- set states = credit_loss_states() -%}
    with recursive

    {{ matrix_power_inputs(matrix_relation, states) }},

    powers (evaluation_date, from_state, power{% for state in states %}, reach_{{ state.column }}{% endfor %}) as (
        select
            wide_matrix.evaluation_date,
            start_states.from_state,
            0 as power,
            {%- for state in states %}
            cast(
                case when start_states.from_state = '{{ state.label }}' then 1 else 0 end
                as {{ type_double() }}
            ) as reach_{{ state.column }}{{ ',' if not loop.last }}
            {%- endfor %}
        from wide_matrix
        cross join start_states
        union all
        select
            powers.evaluation_date,
            powers.from_state,
            powers.power + 1 as power,
            {%- for to_state in states %}
            {%- for via_state in states %}
            powers.reach_{{ via_state.column }} * wide_matrix.p_{{ via_state.column }}__{{ to_state.column }}
            {%- if not loop.last %} +{% endif %}
            {%- endfor %} as reach_{{ to_state.column }}{{ ',' if not loop.last }}
            {%- endfor %}
        from powers
        inner join wide_matrix
            on powers.evaluation_date = wide_matrix.evaluation_date
        where powers.power < {{ max_power }}
    )

    select * from powers
{%- endmacro %}
