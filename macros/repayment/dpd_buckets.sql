{#
    The DPD buckets of docs/metrics.md, in order, declared once:
    `label` is the value of dpd_bucket, `column` the stem of the per-bucket
    columns of the risk trend, `max_days` the bucket's upper bound in days
    past due (none = open ended). Roll rates and the trend list the buckets
    from here; dpd_bucket() assigns them.
#}
{% macro dpd_buckets() -%}
    {{ return([
        {'label': 'current', 'column': 'dpd_current', 'max_days': 0},
        {'label': '1-30', 'column': 'dpd_1_30', 'max_days': 30},
        {'label': '31-60', 'column': 'dpd_31_60', 'max_days': 60},
        {'label': '61-90', 'column': 'dpd_61_90', 'max_days': 90},
        {'label': '90+', 'column': 'dpd_90_plus', 'max_days': none},
    ]) }}
{%- endmacro %}
