{#
    Fails with the rows whose value lies outside [min_value, max_value]
    (either bound optional; inclusive unless inclusive=false). Nulls pass:
    pair with not_null where a value is required.
#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}

{%- set lower_operator = '<' if inclusive else '<=' -%}
{%- set upper_operator = '>' if inclusive else '>=' -%}

select *
from {{ model }}
where
    {%- if min_value is none and max_value is none %}
    {{ exceptions.raise_compiler_error("accepted_range on " ~ column_name ~ " needs min_value or max_value") }}
    {%- endif %}
    {%- if min_value is not none %}
    {{ column_name }} {{ lower_operator }} {{ min_value }}
    {%- endif %}
    {%- if min_value is not none and max_value is not none %}
    or
    {%- endif %}
    {%- if max_value is not none %}
    {{ column_name }} {{ upper_operator }} {{ max_value }}
    {%- endif %}

{% endtest %}
