{#-
    The names of the vars the project declares: the keys of `vars:` in
    dbt_project.yml, read from the file itself so the list is never typed a
    second time. dbt does not hand the project's var names to Jinja, hence the
    engine read (dispatched); an engine without one returns none and the
    unknown-var check is skipped with a log line.
-#}
{% macro declared_vars() %}
    {{ return(adapter.dispatch('declared_vars', 'loans_warehouse')()) }}
{% endmacro %}

{% macro duckdb__declared_vars() %}
    {%- set project_dir = invocation_args_dict.get('project_dir') or '.' -%}
    {%- set path = project_dir.rstrip('/') ~ '/dbt_project.yml' -%}
    {%- set result = run_query("select content from read_text('" ~ dbt.escape_single_quotes(path) ~ "')") -%}
    {%- set project = fromyaml(result.columns[0].values()[0]) -%}
    {{ return(project.get('vars', {}).keys() | list) }}
{% endmacro %}

{% macro default__declared_vars() %}
    {{ return(none) }}
{% endmacro %}
