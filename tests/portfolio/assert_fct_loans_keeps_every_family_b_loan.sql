{#
    Every staged Family B loan is in fct_loans exactly once, and fct_loans
    has no Family B loan that staging does not: the joins on the way to the
    mart drop nothing and duplicate nothing. Returns the loans that differ.
#}

with

staged as (
    select
        cast(loan_id as {{ dbt.type_string() }}) as loan_id,
        count(*) as staged_rows
    from {{ ref('stg_family_b__loans') }}
    group by loan_id
),

published as (
    select
        loan_id,
        count(*) as published_rows
    from {{ ref('fct_loans') }}
    where source_feed = 'fact_loans'
    group by loan_id
),

compared as (
    select
        coalesce(staged.loan_id, published.loan_id) as loan_id,
        coalesce(staged.staged_rows, 0) as staged_rows,
        coalesce(published.published_rows, 0) as published_rows
    from staged
    full outer join published
        on staged.loan_id = published.loan_id
)

select * from compared
where staged_rows <> 1 or published_rows <> 1
