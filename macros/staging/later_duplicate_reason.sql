{#-
    The one rule for repeated keys in a base model: among the rows that pass
    every other check (rule_reason null), the first in file order is kept and
    every later one is quarantined with `reason`. Yields that reason or null;
    use it as coalesce(rule_reason, later_duplicate_reason([...])).
-#}

{% macro later_duplicate_reason(key_columns, reason='duplicate_key') -%}
    case
        when
            rule_reason is null
            and row_number() over (
                partition by {{ key_columns | join(', ') }}, rule_reason
                order by source_row_number
            ) > 1
            then '{{ reason }}'
    end
{%- endmacro %}
