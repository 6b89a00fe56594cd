{#
    A 64-bit hash of a row's columns, for order-independent fingerprints
    (a sum of row hashes per month): the same values give the same hash on
    one engine, not across engines.
#}
{% macro row_hash(columns) -%}
    {{ return(adapter.dispatch('row_hash', 'loans_warehouse')(columns)) }}
{%- endmacro %}

{% macro duckdb__row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro default__row_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}
