{#- The contract entry of one feed (var feed_contract); an unknown feed name stops the run naming the known ones. -#}

{% macro feed_contract(feed_name) %}
    {%- set contract = var('feed_contract') -%}
    {%- if feed_name not in contract -%}
        {{ exceptions.raise_compiler_error(
            "Unknown feed '" ~ feed_name ~ "'. The contract (var feed_contract) lists: "
            ~ (contract.keys() | list | join(', '))
        ) }}
    {%- endif -%}
    {{ return(contract[feed_name]) }}
{% endmacro %}
