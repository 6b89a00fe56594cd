{#
    PAR (portfolio at risk), the one home of its thresholds: var
    par_thresholds (default [30, 90]) lists the days past due N of each
    PAR<N> = outstanding of active loans more than N days past due /
    outstanding of all active loans (column par_<N> of the risk trend). The
    first threshold is also the "ever N+ days past due" line of the vintage
    curves. Raises a compiler error naming the var unless it is a non-empty,
    strictly ascending list of positive whole days.
#}
{% macro par_thresholds() -%}
    {%- set thresholds = var('par_thresholds') -%}
    {#- a namespace: a plain set inside the for loop would not outlive it -#}
    {%- set check = namespace(problem=none) -%}
    {%- if thresholds is string or thresholds is mapping or thresholds is not iterable
        or thresholds | length == 0 -%}
        {%- set check.problem = 'a non-empty list' -%}
    {%- else -%}
        {%- for threshold in thresholds -%}
            {%- if threshold is not number or threshold is boolean
                or threshold != threshold | int or threshold < 1 -%}
                {%- set check.problem = 'whole days >= 1' -%}
            {%- elif not loop.first and threshold <= thresholds[loop.index0 - 1] -%}
                {%- set check.problem = 'strictly ascending' -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if check.problem is not none -%}
        {{ exceptions.raise_compiler_error(
            "var par_thresholds must be " ~ check.problem ~ " (days past due, e.g. [30, 90]); got "
            ~ thresholds
        ) }}
    {%- endif -%}
    {{ return(thresholds | map('int') | list) }}
{%- endmacro %}
