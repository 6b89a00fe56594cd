{#
    dbt's safe_cast falls back to a plain cast, which raises on the first bad
    cell. Staging must turn a bad cell into a quarantine row instead, so on
    engines that have it we use try_cast (null when the text does not parse).
    Found by dbt.safe_cast() through the dispatch search order in
    dbt_project.yml.
#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
