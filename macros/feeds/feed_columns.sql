{#- The feed's contract columns in published order. -#}

{% macro feed_columns(feed_name) %}
    {{ return(feed_contract(feed_name)['columns'].keys() | list) }}
{% endmacro %}
