{#- The staging model of a feed (its valid rows), as the contract names it. -#}

{% macro feed_staging_model(feed_name) %}
    {{ return(feed_contract(feed_name)['staging_model']) }}
{% endmacro %}
