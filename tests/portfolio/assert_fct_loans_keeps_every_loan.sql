{#
    Every staged loan of the book is in fct_loans exactly once, and fct_loans
    has no loan that staging does not: the Family B loans started by the
    Family B reporting date, and the Family A orders disbursed by the Family
    A reporting date. The joins on the way to the
    mart drop nothing and duplicate nothing. Returns the loans that differ.
#}

with

family_b_loans as (
    select * from {{ ref('stg_family_b__loans') }}
),

family_a_orders as (
    select * from {{ ref('stg_family_a__orders') }}
),

family_a_reporting_date as (
    select as_of_date from {{ ref('int_reporting_dates') }}
    where portfolio = 'family_a'
),

family_b_reporting_date as (
    select as_of_date from {{ ref('int_reporting_dates') }}
    where portfolio = 'family_b'
),

loans as (
    select * from {{ ref('fct_loans') }}
),

staged_loan_ids as (
    select
        'fact_loans' as source_feed,
        cast(family_b_loans.loan_id as {{ dbt.type_string() }}) as loan_id
    from family_b_loans
    cross join family_b_reporting_date
    where family_b_loans.start_date <= family_b_reporting_date.as_of_date
    union all
    select
        'orders' as source_feed,
        family_a_orders.loan_id
    from family_a_orders
    cross join family_a_reporting_date
    where family_a_orders.disbursed_date <= family_a_reporting_date.as_of_date
),

staged as (
    select
        source_feed,
        loan_id,
        count(*) as staged_rows
    from staged_loan_ids
    group by source_feed, loan_id
),

published as (
    select
        source_feed,
        loan_id,
        count(*) as published_rows
    from loans
    group by source_feed, loan_id
),

compared as (
    select
        coalesce(staged.source_feed, published.source_feed) as source_feed,
        coalesce(staged.loan_id, published.loan_id) as loan_id,
        coalesce(staged.staged_rows, 0) as staged_rows,
        coalesce(published.published_rows, 0) as published_rows
    from staged
    full outer join published
        on
            staged.source_feed = published.source_feed
            and staged.loan_id = published.loan_id
)

select * from compared
where staged_rows <> 1 or published_rows <> 1
