{#- Aggregates of non-integer values that give the same figure on every run.

    A floating-point sum depends on the order its terms are added in, and an
    engine adds in the order its threads happen to finish: two builds of the
    same feeds gave ECL, LGD and correlation figures that differed in their
    last bits. Each term is therefore rounded to 12 decimals and summed as a
    decimal (38, 12), which both DuckDB and Spark add exactly, in any order;
    only the finished sum becomes a double. Per-row double arithmetic is
    already reproducible, so only the sum across rows needs this. Room: 26
    digits before the point at the default scale: amounts, not squared
    amounts (scale the terms first, as the correlation does). -#}

{#- The sum of a numeric expression as a double, exact up to `scale` decimals per
    term (default 12, leaving 26 digits before the point; a sum of terms known
    to lie within [-1, 1] can keep 20). -#}
{% macro exact_sum(expression, scale=12) -%}
    cast(sum(cast({{ expression }} as decimal(38, {{ scale }}))) as {{ type_double() }})
{%- endmacro %}

{#- The mean of a numeric expression as a double, the same on every engine and
    every run: the exact sum over the non-null values divided by their count
    (null when there are none). Spark's own avg of a decimal would keep only 4
    more digits than the input, which differs from DuckDB's double past the
    1e-9 relative the engine comparison allows; this one is the same on both. -#}
{% macro average(expression) -%}
    {{ exact_sum(expression) }} / count({{ expression }})
{%- endmacro %}
