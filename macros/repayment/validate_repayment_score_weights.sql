{#
    Raises a compiler error naming var repayment_score_weights unless its
    keys are exactly paid_ratio, current_dpd and max_dpd, each weight in
    [0, 1], summing to 1 (within 1e-6). Called by repayment_score().
#}
{% macro validate_repayment_score_weights(weights) -%}
    {%- set expected = ['current_dpd', 'max_dpd', 'paid_ratio'] -%}
    {%- if (weights.keys() | list | sort) != expected -%}
        {{ exceptions.raise_compiler_error(
            "var repayment_score_weights must have exactly the keys " ~ expected | join(', ')
            ~ "; got: " ~ weights.keys() | list | join(', ')
        ) }}
    {%- endif -%}
    {%- set total = weights.values() | sum -%}
    {%- set out_of_range = weights.values() | select('lt', 0) | list + weights.values() | select('gt', 1) | list -%}
    {%- if out_of_range or (total - 1) | abs > 0.000001 -%}
        {{ exceptions.raise_compiler_error(
            "var repayment_score_weights must be between 0 and 1 and sum to 1; got "
            ~ weights ~ " (sum " ~ (total | round(6)) ~ ")"
        ) }}
    {%- endif -%}
{%- endmacro %}
