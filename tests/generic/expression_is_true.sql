{#
    Fails with the rows for which the SQL expression is not true (false or
    null). Restrict the rows checked with dbt's own `config: {where: ...}`.
    May sit under a column (column_name is then ignored: the expression says it all).
#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}
