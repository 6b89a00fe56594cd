{#
    The repayment score (0-100) of docs/metrics.md, as one SQL
    expression over a loan's paid ratio, current DPD and worst DPD so far:

      100 x ( w_paid    x least(paid_ratio, 1)
            + w_current x (1 - least(dpd, cap_current) / cap_current)
            + w_max     x (1 - least(max_dpd, cap_max) / cap_max) )

    rounded to 2 decimals; null when paid_ratio is null (nothing due yet).
    Weights: var repayment_score_weights (must sum to 1: checked here, a
    compiler error otherwise). Caps: var repayment_score_dpd_caps.

    One rule on top of the formula: a loan that has paid nothing
    (paid_ratio = 0) and is at least cap_current days past due scores 0.
    docs/metrics.md requires "0 for a loan that paid nothing while >= 90 days
    late", which the bare formula gives only once the worst DPD reaches
    cap_max (180): at 90 days it would still score 100 x 0.2 x (1 - 90/180)
    = 10. The rule keeps the other required properties (never lower when
    paid_ratio rises, never higher when a DPD rises).
#}
{% macro repayment_score(paid_ratio, days_past_due, max_days_past_due) -%}
    {%- set weights = var('repayment_score_weights') -%}
    {%- set caps = var('repayment_score_dpd_caps') -%}
    {%- do validate_repayment_score_weights(weights) -%}
    case
        when {{ paid_ratio }} is null then null
        when {{ paid_ratio }} = 0 and {{ days_past_due }} >= {{ caps['current_dpd'] }} then 0
        else round(100 * (
            {{ weights['paid_ratio'] }} * least({{ paid_ratio }}, 1)
            + {{ weights['current_dpd'] }}
            * (1 - least(cast({{ days_past_due }} as {{ type_double() }}), {{ caps['current_dpd'] }})
                / {{ caps['current_dpd'] }})
            + {{ weights['max_dpd'] }}
            * (1 - least(cast({{ max_days_past_due }} as {{ type_double() }}), {{ caps['max_dpd'] }})
                / {{ caps['max_dpd'] }})
        ), 2)
    end
{%- endmacro %}
