{#
    The repayment score distribution of Family A loans as of as_of_date,
    long format: `band` rows (width var score_band_width: [0, 10), ...,
    [90, 100], the top band closed), `tier` rows (the pricing tiers of
    macro score_tier, with the lowest and highest score observed in each)
    and one `unscored` row for the loans with nothing due yet (score null).
    Every band and tier is listed, empty ones with 0 loans.
#}

{%- set band_width = var('score_band_width') %}
{%- set band_lowers = range(0, 100, band_width) | list %}
{%- set tiers = score_tier_labels() %}

with

loans as (
    select * from {{ ref('fct_loan_repayment') }}
),

buckets as (
    {%- for lower in band_lowers %}
        {%- set upper = [lower + band_width, 100] | min %}
        select
            'band' as bucket_kind,
            {{ loop.index }} as bucket_order,
            '{{ lower }}-{{ upper }}' as bucket,
            {{ lower }} as lower_score,
            {{ upper }} as upper_score
        union all
    {%- endfor %}
    {%- for tier in tiers %}
        select
            'tier' as bucket_kind,
            {{ loop.index }} as bucket_order,
            '{{ tier }}' as bucket,
            null as lower_score,
            null as upper_score
        union all
    {%- endfor %}
    select
        'unscored' as bucket_kind,
        1 as bucket_order,
        'nothing due yet' as bucket,
        null as lower_score,
        null as upper_score
),

loan_buckets as (
    select
        loan_id,
        principal_amount,
        repayment_score,
        'band' as bucket_kind,
        least(
            cast(floor(repayment_score / {{ band_width }}) as {{ dbt.type_int() }}) + 1,
            {{ band_lowers | length }}
        ) as bucket_order
    from loans
    where repayment_score is not null
    union all
    select
        loan_id,
        principal_amount,
        repayment_score,
        'tier' as bucket_kind,
        case score_tier
            {%- for tier in tiers %}
                when '{{ tier }}' then {{ loop.index }}
            {%- endfor %}
        end as bucket_order
    from loans
    where score_tier is not null
    union all
    select
        loan_id,
        principal_amount,
        repayment_score,
        'unscored' as bucket_kind,
        1 as bucket_order
    from loans
    where repayment_score is null
),

counted as (
    select
        buckets.bucket_kind,
        buckets.bucket_order,
        count(loan_buckets.loan_id) as loans,
        coalesce(sum(loan_buckets.principal_amount), 0) as principal_amount,
        min(loan_buckets.repayment_score) as min_score,
        max(loan_buckets.repayment_score) as max_score
    from buckets
    left join loan_buckets
        on
            buckets.bucket_kind = loan_buckets.bucket_kind
            and buckets.bucket_order = loan_buckets.bucket_order
    group by buckets.bucket_kind, buckets.bucket_order
),

portfolio as (
    select count(*) as all_loans from loans
),

final as (
    select
        -- dimensions
        buckets.bucket_kind,
        buckets.bucket_order,
        buckets.bucket,
        buckets.lower_score,
        buckets.upper_score,
        -- measures
        counted.loans,
        {{ safe_divide('counted.loans', 'portfolio.all_loans') }} as share_of_loans,
        counted.principal_amount,
        counted.min_score,
        counted.max_score
    from buckets
    inner join counted
        on
            buckets.bucket_kind = counted.bucket_kind
            and buckets.bucket_order = counted.bucket_order
    cross join portfolio
)

select * from final
