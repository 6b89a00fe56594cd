{#
    The DPD bucket label of a days-past-due expression (current, 1-30,
    31-60, 61-90, 90+), from the buckets declared in dpd_buckets().
#}
{% macro dpd_bucket(days_past_due) -%}
    case
        {%- for bucket in dpd_buckets() %}
        {%- if bucket.max_days is not none %}
        when {{ days_past_due }} <= {{ bucket.max_days }} then '{{ bucket.label }}'
        {%- else %}
        else '{{ bucket.label }}'
        {%- endif %}
        {%- endfor %}
    end
{%- endmacro %}
