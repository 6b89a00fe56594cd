{#
    The three Family B default rates of docs/metrics.md, as aggregate
    expressions over the loans of a group (the one home of their formulas;
    every mart that shows a default rate calls this macro):
      default_rate          = defaulted loans / all loans
      resolved_default_rate = defaulted loans / (paid + defaulted loans)
      amount_default_rate   = defaulted principal / all principal
    Each is null when its denominator is 0 (e.g. no resolved loan yet).
    Integer counts are divided with `/`, a fractional division on DuckDB and
    Spark; an engine with integer `/` needs a cast here.
#}
{% macro default_rates(status='loan_status', principal='principal_amount') -%}
    {%- set defaulted = status ~ " = 'Defaulted'" -%}
    {{ safe_divide(
        "count(case when " ~ defaulted ~ " then 1 end)",
        "count(*)"
    ) }} as default_rate,
    {{ safe_divide(
        "count(case when " ~ defaulted ~ " then 1 end)",
        "count(case when " ~ status ~ " in ('Paid', 'Defaulted') then 1 end)"
    ) }} as resolved_default_rate,
    {{ safe_divide(
        "sum(case when " ~ defaulted ~ " then " ~ principal ~ " else 0 end)",
        "sum(" ~ principal ~ ")"
    ) }} as amount_default_rate
{%- endmacro %}
