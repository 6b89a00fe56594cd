{#
    matrix_power_rows on Spark: the same rows as default__matrix_power_rows
    (P^h for h = 0 .. max_power, one column reach_<state> per state), without
    a recursive CTE. Spark runs a recursive CTE as one job per step (120
    steps: minutes for a few hundred rows); here each (evaluation_date,
    from_state) row folds the steps in one expression instead: aggregate()
    over sequence(1, max_power) appends to an array the previous vector times
    P, with the sums written in the same order as the default (so the same
    floating point results), then posexplode gives one row per power.
#}
{% macro spark__matrix_power_rows(matrix_relation, max_power) -%}
    {%- set states = credit_loss_states() -%}
    {%- set vector_type -%}
        struct<{% for state in states %}reach_{{ state.column }}: double{{ ', ' if not loop.last }}{% endfor %}>
    {%- endset -%}
    with

    {{ matrix_power_inputs(matrix_relation, states) }},

    vectors as (
        select
            wide_matrix.evaluation_date,
            start_states.from_state,
            aggregate(
                sequence(1, {{ max_power }}),
                cast(
                    array(named_struct(
                        {%- for state in states %}
                        'reach_{{ state.column }}',
                        case when start_states.from_state = '{{ state.label }}' then 1.0D else 0.0D end
                        {{- ',' if not loop.last }}
                        {%- endfor %}
                    ))
                    as array<{{ vector_type }}>
                ),
                (previous_vectors, step) -> concat(
                    previous_vectors,
                    array(cast(named_struct(
                        {%- for to_state in states %}
                        'reach_{{ to_state.column }}',
                        {%- for via_state in states %}
                        element_at(previous_vectors, -1).reach_{{ via_state.column }}
                            * wide_matrix.p_{{ via_state.column }}__{{ to_state.column }}
                        {%- if not loop.last %} +{% endif %}
                        {%- endfor %}{{ ',' if not loop.last }}
                        {%- endfor %}
                    ) as {{ vector_type }}))
                )
            ) as power_vectors
        from wide_matrix
        cross join start_states
    )

    select
        vectors.evaluation_date,
        vectors.from_state,
        powers.power,
        {%- for state in states %}
        powers.vector.reach_{{ state.column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from vectors
    lateral view posexplode(vectors.power_vectors) powers as power, vector
{%- endmacro %}
