{#-
    var as_of_date is null or a real calendar date written YYYY-MM-DD. A bad
    value stops the run here, before it fails as a cast deep in a model.
    (YAML may hand over an unquoted date as a date object: accepted.)
-#}
{% macro check_as_of_date_var() %}
    {%- set value = var('as_of_date', none) -%}
    {%- if value is none or value is not string and value.isoformat is defined -%}
        {{ return('') }}
    {%- endif -%}
    {%- set text = value | string -%}
    {%- set match = modules.re.match('^([0-9]{4})-([0-9]{2})-([0-9]{2})$', text) -%}
    {%- set valid = namespace(ok=false) -%}
    {%- if match -%}
        {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
        {%- if 1 <= month <= 12 and year >= 1 -%}
            {%- set next_month = modules.datetime.date(year + month // 12, month % 12 + 1, 1) -%}
            {%- set days_in_month = (next_month - modules.datetime.timedelta(days=1)).day -%}
            {%- set valid.ok = 1 <= day <= days_in_month -%}
        {%- endif -%}
    {%- endif -%}
    {%- if not valid.ok -%}
        {{ exceptions.raise_compiler_error(
            "var as_of_date must be a calendar date written YYYY-MM-DD (e.g. 2025-03-31), or null for "
            ~ "each portfolio's latest event date; got '" ~ text ~ "'."
        ) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
