{#
    The states of the credit-loss transition matrix, in order: the DPD
    buckets of dpd_buckets() (90+ = default) and `closed`. `label` is the
    state's value, `column` a stem for per-state columns. `default` and
    `closed` are absorbing.
#}
{% macro credit_loss_states() -%}
    {%- set states = [] -%}
    {%- for bucket in dpd_buckets() -%}
        {%- do states.append({'label': bucket.label, 'column': bucket.column}) -%}
    {%- endfor -%}
    {%- do states.append({'label': 'closed', 'column': 'closed'}) -%}
    {{ return(states) }}
{%- endmacro %}


{#- The default state (DPD > 90): the last DPD bucket. -#}
{% macro credit_loss_default_state() -%}
    {{ return(dpd_buckets()[-1].label) }}
{%- endmacro %}


{#- The states whose row of P is the identity whatever was observed. -#}
{% macro credit_loss_absorbing_states() -%}
    {{ return([credit_loss_default_state(), 'closed']) }}
{%- endmacro %}
