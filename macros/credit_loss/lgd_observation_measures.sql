{#-
    The measures of a group of LGD observations (rows of int_loan_default_workouts
    under the alias `workouts`, grouped by the caller): EAD at default, present
    value of the recoveries and the EAD-weighted observed LGD. The one home of
    the workout LGD's weighting, read per evaluation date
    (int_credit_loss_lgd_estimates) and per default month (rpt_lgd_estimate).
-#}
{% macro lgd_observation_measures(workouts='workouts') -%}
    sum({{ workouts }}.ead_at_default_amount) as ead_at_default_amount,
    {{ exact_sum(workouts ~ '.recovered_present_value_amount') }}
        as recovered_present_value_amount,
    {{ safe_divide(
        exact_sum(workouts ~ '.loss_given_default * ' ~ workouts ~ '.ead_at_default_amount'),
        'sum(' ~ workouts ~ '.ead_at_default_amount)'
    ) }} as observed_lgd
{%- endmacro %}
