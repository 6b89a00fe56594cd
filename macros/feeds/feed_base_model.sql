{#- The base model of a feed: every raw row, tagged with its parse results and quarantine reason. -#}

{% macro feed_base_model(feed_name) %}
    {{ return('base_' ~ feed_contract(feed_name)['family'] ~ '__' ~ feed_name) }}
{% endmacro %}
