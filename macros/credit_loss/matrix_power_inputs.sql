{#
    matrix_power_inputs: the two CTEs both matrix_power_rows implementations
    start from, for `with ... ,` in their select:
    - wide_matrix: one row per evaluation_date of matrix_relation (long form:
      evaluation_date, from_state, to_state, probability), one column
      p_<from>__<to> per pair of states;
    - start_states: one row per state label (the rows of P^0 = identity).
#}
{% macro matrix_power_inputs(matrix_relation, states) -%}
    wide_matrix as (
        select
            evaluation_date,
            {%- for from_state in states %}
            {%- for to_state in states %}
            max(
                case
                    when from_state = '{{ from_state.label }}' and to_state = '{{ to_state.label }}'
                        then probability
                end
            ) as p_{{ from_state.column }}__{{ to_state.column }}{{ ',' if not loop.last }}
            {%- endfor %}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ matrix_relation }}
        group by evaluation_date
    ),

    start_states as (
        {%- for state in states %}
        select '{{ state.label }}' as from_state
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    )
{%- endmacro %}
