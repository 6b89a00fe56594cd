{#
    The position of a roll-rate state in bucket order (the buckets of
    dpd_buckets(), then closed last), for sorting in BI tools.
#}
{% macro dpd_bucket_order(state) -%}
    case {{ state }}
        {%- for bucket in dpd_buckets() %}
        when '{{ bucket.label }}' then {{ loop.index }}
        {%- endfor %}
        when 'closed' then {{ dpd_buckets() | length + 1 }}
    end
{%- endmacro %}
