{#
    The bands of seed demographic_bands tile each dimension without gap or
    overlap: each band ends where the next begins, and only the last band
    is open-ended. Returns the bands that break this.
#}

with

bands as (
    select * from {{ ref('demographic_bands') }}
),

with_next as (
    select
        band_dimension,
        band_order,
        band_label,
        upper_bound,
        lead(lower_bound) over (
            partition by band_dimension order by band_order
        ) as next_lower_bound
    from bands
)

select * from with_next
where
    (next_lower_bound is null and upper_bound is not null)
    or (next_lower_bound is not null and upper_bound is null)
    or upper_bound <> next_lower_bound
