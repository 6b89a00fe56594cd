{#
    Pricing tiers of the repayment score (docs/metrics.md): var
    score_tier_floors maps each tier to its lowest score, highest tier
    first (default A >= 80 > B >= 60 > C >= 40); scores below the last
    floor are tier D. A null score has no tier.
#}
{% macro score_tier(score) -%}
    case
        {%- for tier, floor in var('score_tier_floors').items() %}
        when {{ score }} >= {{ floor }} then '{{ tier }}'
        {%- endfor %}
        when {{ score }} is not null then 'D'
    end
{%- endmacro %}
