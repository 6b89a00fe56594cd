{#-
    Every var passed on the command line (--vars) must be declared in
    dbt_project.yml: dbt itself ignores an unknown one, so `raw_dri` would
    build the previous data and "succeed". The message suggests the closest
    declared name (fewest single-character edits, Levenshtein distance).
-#}
{% macro check_declared_vars() %}
    {%- set cli_vars = invocation_args_dict.get('vars') or {} -%}
    {%- if cli_vars is string -%}
        {%- set cli_vars = fromyaml(cli_vars) or {} -%}
    {%- endif -%}
    {%- set declared = declared_vars() -%}
    {%- if declared is none -%}
        {{ log("check_vars: cannot list the declared vars on adapter " ~ adapter.type() ~ "; unknown vars are not checked", info=true) }}
        {{ return('') }}
    {%- endif -%}
    {%- for name in cli_vars.keys() | sort -%}
        {%- if name not in declared -%}
            {%- set best = namespace(name=none, distance=999) -%}
            {%- for candidate in declared -%}
                {%- set previous = namespace(row=range(candidate | length + 1) | list) -%}
                {%- for i in range(1, name | length + 1) -%}
                    {%- set row = [i] -%}
                    {%- for j in range(1, candidate | length + 1) -%}
                        {%- set substitution = previous.row[j - 1] + (0 if name[i - 1] == candidate[j - 1] else 1) -%}
                        {%- do row.append([previous.row[j] + 1, row[j - 1] + 1, substitution] | min) -%}
                    {%- endfor -%}
                    {%- set previous.row = row -%}
                {%- endfor -%}
                {%- if previous.row[-1] < best.distance -%}
                    {%- set best.name = candidate -%}
                    {%- set best.distance = previous.row[-1] -%}
                {%- endif -%}
            {%- endfor -%}
            {%- set hint = " — did you mean '" ~ best.name ~ "'?" if best.distance <= [3, (name | length) // 2] | max else "." -%}
            {{ exceptions.raise_compiler_error(
                "unknown var '" ~ name ~ "'" ~ hint ~ " The declared vars (dbt_project.yml) are: "
                ~ declared | sort | join(', ')
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
