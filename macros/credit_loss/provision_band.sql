{#
    The simplified-approach provision bands of var provision_matrix_bands,
    in order: band (label), max_days_past_due (upper bound in days, none =
    open ended; the last band must be open ended) and loss_rate (0..1).
    A compiler error when the var is malformed.
#}
{% macro provision_matrix_bands() -%}
    {%- set bands = var('provision_matrix_bands') -%}
    {%- if bands | length == 0 or bands[-1].max_days_past_due is not none -%}
        {{ exceptions.raise_compiler_error(
            "var provision_matrix_bands: give at least one band, the last one open ended "
            ~ "(max_days_past_due: null); got " ~ bands) }}
    {%- endif -%}
    {%- for band in bands -%}
        {%- if band.loss_rate is none or band.loss_rate < 0 or band.loss_rate > 1 -%}
            {{ exceptions.raise_compiler_error(
                "var provision_matrix_bands: loss_rate of band " ~ band.band ~ " must be within [0, 1]") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(bands) }}
{%- endmacro %}


{#- The provision band label of a days-past-due expression (first band whose bound it does not exceed). -#}
{% macro provision_band(days_past_due) -%}
    case
        {%- for band in provision_matrix_bands() %}
        {%- if band.max_days_past_due is not none %}
        when {{ days_past_due }} <= {{ band.max_days_past_due }} then '{{ band.band }}'
        {%- else %}
        else '{{ band.band }}'
        {%- endif %}
        {%- endfor %}
    end
{%- endmacro %}
