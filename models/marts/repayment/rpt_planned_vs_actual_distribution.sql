{#
    The planned-vs-actual histogram of the LoanTrack360 analysis as fixed
    bins, so a BI tool draws it without Python: delta = paid - planned to
    date per Family A loan as of as_of_date (positive = overpaid). Bins are
    [lower, upper) from var planned_vs_actual_bin_edges, plus an open bin
    below the first edge and one above the last (lower / upper null). Every
    bin is listed, empty ones with 0 loans. Each bin carries its label and
    which side of the plan it lies on, so every reader draws the same axis.
#}

{%- set edges = var('planned_vs_actual_bin_edges') | sort %}

with

loans as (
    select * from {{ ref('fct_loan_repayment') }}
),

bins as (
    {%- for upper in edges + [none] %}
        {%- set lower = edges[loop.index0 - 1] if loop.index0 > 0 else none %}
        {%- if lower is none %}
            {%- set label = '< ' ~ '{:,}'.format(upper) %}
        {%- elif upper is none %}
            {%- set label = '>= ' ~ '{:,}'.format(lower) %}
        {%- else %}
            {%- set label = '{:,}'.format(lower) ~ ' to ' ~ '{:,}'.format(upper) %}
        {%- endif %}
        {%- if upper is not none and upper <= 0 %}
            {%- set plan_side = 'behind plan' %}
        {%- elif lower is not none and lower >= 0 %}
            {%- set plan_side = 'ahead of plan' %}
        {%- else %}
            {%- set plan_side = 'around plan' %}
        {%- endif %}
        select
            {{ loop.index }} as bin_number,
            '{{ label }}' as bin_label,
            '{{ plan_side }}' as plan_side,
            cast({{ lower if lower is not none else 'null' }} as {{ dbt.type_numeric() }})
                as lower_amount,
            cast({{ upper if upper is not none else 'null' }} as {{ dbt.type_numeric() }})
                as upper_amount
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

binned as (
    select
        bins.bin_number,
        count(loans.loan_id) as loans,
        coalesce(sum(loans.delta_amount), 0) as delta_amount,
        coalesce(sum(loans.principal_amount), 0) as principal_amount
    from bins
    left join loans
        on
            (bins.lower_amount is null or bins.lower_amount <= loans.delta_amount)
            and (bins.upper_amount is null or bins.upper_amount > loans.delta_amount)
    group by bins.bin_number
),

final as (
    select
        -- ids
        bins.bin_number,
        -- dimensions
        bins.bin_label,
        bins.plan_side,
        bins.lower_amount,
        bins.upper_amount,
        -- measures
        binned.loans,
        {{ safe_divide('binned.loans', 'sum(binned.loans) over ()') }} as share_of_loans,
        binned.delta_amount,
        binned.principal_amount
    from bins
    inner join binned
        on bins.bin_number = binned.bin_number
)

select * from final
