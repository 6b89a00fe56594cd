{#
    Family B customers with their age and income bands, cut by the edges in
    seed demographic_bands (lower_bound inclusive, upper_bound exclusive).
    The customer's name is not selected: personal data stays in staging.
#}

with

customers as (
    select * from {{ ref('stg_family_b__customers') }}
),

age_bands as (
    select * from {{ ref('demographic_bands') }}
    where band_dimension = 'age'
),

income_bands as (
    select * from {{ ref('demographic_bands') }}
    where band_dimension = 'income'
),

final as (
    select
        -- ids
        customers.customer_id,
        -- dimensions
        age_bands.band_label as age_band,
        age_bands.band_order as age_band_order,
        customers.gender,
        income_bands.band_label as income_band,
        income_bands.band_order as income_band_order,
        customers.employment_status,
        -- measures
        customers.age_years,
        customers.annual_income_amount
    from customers
    left join age_bands
        on
            customers.age_years >= age_bands.lower_bound
            and (age_bands.upper_bound is null or customers.age_years < age_bands.upper_bound)
    left join income_bands
        on
            customers.annual_income_amount >= income_bands.lower_bound
            and (
                income_bands.upper_bound is null
                or customers.annual_income_amount < income_bands.upper_bound
            )
)

select * from final
