{#
    Pearson correlation r, with the number of loans n where both values are
    present, for every ordered pair of the loan-level numerics of docs/metrics.md
    (Family A, as of as_of_date), in long format for heatmaps: 100 rows,
    the diagonal included. The features and their order are macro
    correlation_features() (also published as category set repayment_feature of
    rpt_reference_categories). r is null when either feature is constant over
    the n loans (or n < 2). All pairs come from two aggregate passes over
    fct_loan_repayment (means, then moments about them, in exact sums so that
    every build gives the same r), then are unpivoted by crossing the
    features with themselves.
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
    Pearson r for each pair x <= y, over the loans where both are present,
    in two passes of exact sums (macro exact_sum: a floating-point corr()
    adds in thread order and gave r's differing in the last bits between two
    builds). Pass one: n and both means per pair, and each feature's spread
    (max - min over all loans); pass two: the co-moment
    sum((x - mean x)(y - mean y)) and both sums of squares about the means,
    each deviation divided by its feature's spread. r does not change under
    that scaling, and it keeps every term within [-1, 1], so the sums fit a
    decimal however large the amounts (squared amounts in a currency of
    large denominations would overflow it) and can keep 20 decimals.
    r = co-moment / sqrt(product of the sums of squares), null when either
    sum of squares is 0 (a feature constant over the n loans, r undefined).
#}
pair_means as (
    select
        {%- for x in names %}
            {%- for y in names[loop.index0:] %}
                {%- set x_when_both = 'case when ' ~ y ~ ' is not null then ' ~ x ~ ' end' %}
                {%- set y_when_both = 'case when ' ~ x ~ ' is not null then ' ~ y ~ ' end' %}
                count({{ x_when_both }}) as n__{{ x }}__{{ y }},
                {{ average(x_when_both) }} as mean_x__{{ x }}__{{ y }},
                {{ average(y_when_both) }} as mean_y__{{ x }}__{{ y }},
            {%- endfor %}
        {%- endfor %}
        {%- for name in names %}
            max({{ name }}) - min({{ name }}) as spread__{{ name }},
        {%- endfor %}
        count(*) as loans
    from feature_values
),

pair_moments as (
    select
        {%- for x in names %}
            {%- for y in names[loop.index0:] %}
                {%- set x_deviation = '((' ~ x ~ ' - pair_means.mean_x__' ~ x ~ '__' ~ y
                    ~ ') / nullif(pair_means.spread__' ~ x ~ ', 0))' %}
                {%- set y_deviation = '((' ~ y ~ ' - pair_means.mean_y__' ~ x ~ '__' ~ y
                    ~ ') / nullif(pair_means.spread__' ~ y ~ ', 0))' %}
                {%- set x_when_both =
                    'case when ' ~ y ~ ' is not null then ' ~ x_deviation ~ ' end' %}
                {%- set y_when_both =
                    'case when ' ~ x ~ ' is not null then ' ~ y_deviation ~ ' end' %}
                {{ exact_sum(x_deviation ~ ' * ' ~ y_deviation, scale=20) }}
                    as co_moment__{{ x }}__{{ y }},
                {{ exact_sum(x_when_both ~ ' * ' ~ x_when_both, scale=20) }}
                    as x_squares__{{ x }}__{{ y }},
                {{ exact_sum(y_when_both ~ ' * ' ~ y_when_both, scale=20) }}
                    as y_squares__{{ x }}__{{ y }},
            {%- endfor %}
        {%- endfor %}
        count(*) as loans
    from feature_values
    cross join pair_means
),

pair_statistics as (
    select
        {%- for x in names %}
            {%- for y in names[loop.index0:] %}
                pair_means.n__{{ x }}__{{ y }},
                case
                    when
                        pair_moments.x_squares__{{ x }}__{{ y }} > 0
                        and pair_moments.y_squares__{{ x }}__{{ y }} > 0
                        then pair_moments.co_moment__{{ x }}__{{ y }} / sqrt(
                            pair_moments.x_squares__{{ x }}__{{ y }}
                            * pair_moments.y_squares__{{ x }}__{{ y }}
                        )
                end as r__{{ x }}__{{ y }},
            {%- endfor %}
        {%- endfor %}
        pair_means.loans
    from pair_means
    cross join pair_moments
),

{#
    The ordered pairs (x, y) as rows: the features crossed with themselves,
    then each pair reads the statistics of {x, y} from the one row of
    pair_statistics (one reference: Spark inlines a CTE per reference, and
    a union of 100 selects from it would aggregate 100 times).
#}
features as (
    {%- for name in names %}
        select
            '{{ name }}' as feature,
            {{ loop.index }} as feature_order
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

feature_pairs as (
    {#- pair: the x__y of pair_statistics' columns, x the earlier feature #}
    select
        features_x.feature as feature_x,
        features_y.feature as feature_y,
        case
            when features_x.feature_order <= features_y.feature_order
                then concat(features_x.feature, '__', features_y.feature)
            else concat(features_y.feature, '__', features_x.feature)
        end as pair
    from features as features_x
    cross join features as features_y
),

pairs as (
    select
        feature_pairs.feature_x,
        feature_pairs.feature_y,
        case feature_pairs.pair
            {%- for x in names %}
                {%- for y in names[loop.index0:] %}
                    when '{{ x }}__{{ y }}' then pair_statistics.n__{{ x }}__{{ y }}
                {%- endfor %}
            {%- endfor %}
        end as n,
        case feature_pairs.pair
            {%- for x in names %}
                {%- for y in names[loop.index0:] %}
                    when '{{ x }}__{{ y }}' then pair_statistics.r__{{ x }}__{{ y }}
                {%- endfor %}
            {%- endfor %}
        end as r
    from feature_pairs
    cross join pair_statistics
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
