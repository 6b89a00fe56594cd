{#
    Fails with the rows for which the SQL expression is not true (false or
    null). Restrict the rows checked with dbt's own `config: {where: ...}`.
#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}
