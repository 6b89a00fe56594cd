{#- One warning line between two rows of '!' in the log (info level), for the on-run-end reports. -#}
{% macro log_banner(message) %}
    {{ log("!" * 78, info=true) }}
    {{ log(message, info=true) }}
    {{ log("!" * 78, info=true) }}
{% endmacro %}

{#-
    The tables of the named models that this run built successfully, by model
    name (an on-run-end report reads only what the run built; a model it did
    not build, or whose build failed, is absent).
-#}
{% macro built_relations(model_names) %}
    {%- set built = {} -%}
    {%- for result in results -%}
        {%- if result.node.name in model_names and result.status == 'success' -%}
            {%- do built.update({result.node.name: api.Relation.create(
                database=result.node.database, schema=result.node.schema,
                identifier=result.node.alias)}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(built) }}
{% endmacro %}

{#-
    on-run-end: when this run built the model, one banner per row of the query
    (its '{relation}' replaced by the model's table), each row being
    (subject, message): prefix ~ subject ~ ': ' ~ message.
-#}
{% macro log_row_banners(model_name, query, prefix) %}
    {%- if execute -%}
        {%- set built = built_relations([model_name]) -%}
        {%- if built -%}
            {%- set rows = run_query(query | replace('{relation}', built[model_name] | string)).rows -%}
            {%- for subject, message in rows -%}
                {{ log_banner(prefix ~ subject ~ ": " ~ message) }}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
