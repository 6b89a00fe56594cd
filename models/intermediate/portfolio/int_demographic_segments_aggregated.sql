{#
    Family B loans per demographic segment: the whole portfolio, each of
    the four dimensions (age band, gender, income band, employment status)
    and each pair of them, in one long table. A missing demographic value
    is its own segment, 'Unknown'. The default rates come from macro
    default_rates(). The one home of segment default rates: the risk tier
    and rpt_demographic_segments read them here.
#}

{%- set min_segment_size = var('min_segment_size') -%}
{%- set dimensions = ['age_band', 'gender', 'income_band', 'employment_status'] -%}
{%- set no_value = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
{#- [] is the whole portfolio; then each dimension; then each pair. -#}
{%- set groupings = [[]] -%}
{%- for dimension in dimensions -%}
    {%- do groupings.append([dimension]) -%}
{%- endfor -%}
{%- for first in dimensions -%}
    {%- for second in dimensions[loop.index:] -%}
        {%- do groupings.append([first, second]) -%}
    {%- endfor -%}
{%- endfor -%}

with

loans as (
    select * from {{ ref('int_loans_amortised') }}
),

customers as (
    select * from {{ ref('int_customers_banded') }}
),

loans_with_demographics as (
    select
        loans.loan_id,
        loans.customer_id,
        loans.loan_status,
        {%- for dimension in dimensions %}
            coalesce(customers.{{ dimension }}, 'Unknown') as {{ dimension }},
        {%- endfor %}
        loans.principal_amount,
        loans.reported_paid_amount,
        loans.reported_outstanding_amount
    from loans
    left join customers
        on loans.customer_id = customers.customer_id
),

segments as (
    {%- for grouping in groupings %}
        {%- set first = grouping[0] if grouping | length > 0 else none %}
        {%- set second = grouping[1] if grouping | length > 1 else none %}
        select
            {%- if not first %}
                'portfolio' as segment_dimension,
                'All loans' as segment_value,
            {%- elif not second %}
                '{{ first }}' as segment_dimension,
                {{ first }} as segment_value,
            {%- else %}
                '{{ first }}+{{ second }}' as segment_dimension,
                {{ dbt.concat([first, "' | '", second]) }} as segment_value,
            {%- endif %}
            {{ grouping | length }} as dimensions_count,
            {{ "'" ~ first ~ "'" if first else no_value }} as first_dimension,
            {{ first or no_value }} as first_value,
            {{ "'" ~ second ~ "'" if second else no_value }} as second_dimension,
            {{ second or no_value }} as second_value,
            count(distinct customer_id) as borrowers_count,
            {{ loan_totals('reported_paid_amount', 'reported_outstanding_amount') }},
            {{ default_rates() }}
        from loans_with_demographics
        {%- if first %}
            group by {{ grouping | join(', ') }}
        {%- else %}
            having count(*) > 0
        {%- endif %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        -- ids
        segment_dimension,
        segment_value,
        -- dimensions
        dimensions_count,
        first_dimension,
        first_value,
        second_dimension,
        second_value,
        loans_count < {{ min_segment_size }} as is_small_sample,
        -- measures
        borrowers_count,
        loans_count,
        disbursed_amount,
        repaid_amount,
        outstanding_amount,
        default_rate,
        resolved_default_rate,
        amount_default_rate
    from segments
)

select * from final
