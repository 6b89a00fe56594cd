{#
    The one home of the reporting date. var as_of_date, when set, applies to
    both portfolios; otherwise each portfolio is reported as of the latest
    event date in its own loaded feeds (Family A: application, disbursal,
    closure and payment dates; Family B: loan start dates; a Family B EndDate
    is a schedule, not an event). Never current_date, so the same input gives
    the same output. A portfolio with no rows has a null as_of_date.
#}

{%- set as_of_date = var('as_of_date') -%}
{%- set as_of_date_source = 'latest event date' if as_of_date is none else 'var as_of_date' -%}

with

orders as (
    select * from {{ ref('stg_family_a__orders') }}
),

payments as (
    select * from {{ ref('stg_family_a__payments') }}
),

family_b_loans as (
    select * from {{ ref('stg_family_b__loans') }}
),

family_a_event_dates as (
    select created_date as event_date from orders
    union all
    select disbursed_date as event_date from orders
    union all
    select closed_date as event_date from orders
    union all
    select paid_date as event_date from payments
),

latest_event_dates as (
    select
        'family_a' as portfolio,
        max(event_date) as latest_event_date
    from family_a_event_dates
    union all
    select
        'family_b' as portfolio,
        max(start_date) as latest_event_date
    from family_b_loans
),

final as (
    select
        portfolio,
        {%- if as_of_date is none %}
            latest_event_date as as_of_date,
        {%- else %}
            cast('{{ as_of_date }}' as date) as as_of_date,
        {%- endif %}
        latest_event_date,
        '{{ as_of_date_source }}' as as_of_date_source
    from latest_event_dates
)

select * from final
