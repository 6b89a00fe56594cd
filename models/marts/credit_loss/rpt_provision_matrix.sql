{#
    The simplified-approach provision matrix (IFRS 9 B5.5.35) of both
    portfolios at their as_of_date: per portfolio and days-past-due band of
    var provision_matrix_bands (illustrative loss rates), loans, carrying
    amount, loss rate and provision. Every band of every portfolio with an
    as_of_date is a row (0 loans when empty).
#}

{%- set bands = provision_matrix_bands() %}

with

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
    where as_of_date is not null
),

banded_loans as (
    select * from {{ ref('int_loans_provision_banded') }}
),

band_list as (
    {%- for band in bands %}
        select
            '{{ band.band }}' as provision_band,
            {{ loop.index }} as band_order,
            {{ 'null' if band.max_days_past_due is none else band.max_days_past_due }}
                as max_days_past_due,
            cast({{ band.loss_rate }} as {{ type_double() }}) as loss_rate
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

grid as (
    select
        reporting_dates.portfolio,
        reporting_dates.as_of_date,
        band_list.provision_band,
        band_list.band_order,
        band_list.max_days_past_due,
        band_list.loss_rate
    from reporting_dates
    cross join band_list
),

summed as (
    select
        grid.portfolio,
        grid.as_of_date,
        grid.provision_band,
        grid.band_order,
        grid.max_days_past_due,
        grid.loss_rate,
        count(banded_loans.loan_id) as loans,
        coalesce(sum(banded_loans.carrying_amount), 0) as carrying_amount,
        coalesce(sum(banded_loans.provision_amount), 0) as provision_amount
    from grid
    left join banded_loans
        on
            grid.portfolio = banded_loans.portfolio
            and grid.provision_band = banded_loans.provision_band
    group by
        grid.portfolio,
        grid.as_of_date,
        grid.provision_band,
        grid.band_order,
        grid.max_days_past_due,
        grid.loss_rate
),

final as (
    select
        -- dimensions
        portfolio,
        provision_band,
        band_order,
        cast(max_days_past_due as {{ dbt.type_int() }}) as max_days_past_due,
        -- measures
        cast(loans as {{ dbt.type_bigint() }}) as loans,
        cast(carrying_amount as decimal(18, 2)) as carrying_amount,
        loss_rate,
        cast(provision_amount as decimal(18, 2)) as provision_amount,
        -- dates
        as_of_date
    from summed
)

select * from final
