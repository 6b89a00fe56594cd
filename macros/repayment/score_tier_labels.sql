{#
    The pricing tier labels of the repayment score in order, highest tier
    first: the keys of var score_tier_floors, then D (below the last floor).
    See score_tier().
#}
{% macro score_tier_labels() -%}
    {{ return(var('score_tier_floors').keys() | list + ['D']) }}
{%- endmacro %}
