{#
    Pearson correlation r, with the number of loans n where both values are
    present, for every ordered pair of the loan-level numerics of docs/metrics.md
    (Family A, as of as_of_date), in long format for heatmaps: 100 rows,
    the diagonal included. The features and their order are macro
    correlation_features() (also published as category set repayment_feature of
    rpt_reference_categories). r is null when either feature is constant over
    the n loans (or n < 2). All pairs come from one aggregate pass over
    fct_loan_repayment, then are unpivoted.
#}

{%- set features = correlation_features() %}
{%- set names = features.keys() | list %}

with

loans as (
    select * from {{ ref('fct_loan_repayment') }}
),

feature_values as (
    select
        {%- for name, column in features.items() %}
            cast({{ column }} as {{ type_double() }}) as {{ name }},
        {%- endfor %}
        loan_id
    from loans
),

{#
    For each pair x <= y, over the loans where both are present: n, Pearson
    r (the standard corr aggregate) and both variances, which tell a
    constant feature (r undefined) from a real one.
#}
pair_statistics as (
    select
        {%- for x in names %}
            {%- for y in names[loop.index0:] %}
                {%- set x_when_both = 'case when ' ~ y ~ ' is not null then ' ~ x ~ ' end' %}
                {%- set y_when_both = 'case when ' ~ x ~ ' is not null then ' ~ y ~ ' end' %}
                count({{ x_when_both }}) as n__{{ x }}__{{ y }},
                corr({{ x }}, {{ y }}) as r__{{ x }}__{{ y }},
                var_pop({{ x_when_both }}) as var_x__{{ x }}__{{ y }},
                var_pop({{ y_when_both }}) as var_y__{{ x }}__{{ y }},
            {%- endfor %}
        {%- endfor %}
        count(*) as loans
    from feature_values
),

pairs as (
    {%- for x in names %}
        {%- set outer_loop = loop %}
        {%- for y in names %}
            {%- set pair = (x ~ '__' ~ y) if loop.index0 >= outer_loop.index0 else (y ~ '__' ~ x) %}
            select
                '{{ x }}' as feature_x,
                '{{ y }}' as feature_y,
                n__{{ pair }} as n,
                case
                    when var_x__{{ pair }} > 0 and var_y__{{ pair }} > 0 then r__{{ pair }}
                end as r
            from pair_statistics
            {%- if not (loop.last and outer_loop.last) %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
),

final as (
    select
        -- dimensions
        feature_x,
        feature_y,
        -- measures
        r,
        n
    from pairs
)

select * from final
