{#
    The LoanTrack360 segmentation of Family A loans as of as_of_date: one
    row per segment (Underpaid, On Track, Overpaid, Not Yet Due; all four
    listed even when empty) over every disbursed loan, active or closed.
#}

with

loans as (
    select * from {{ ref('fct_loan_repayment') }}
),

segments as (
    {%- for segment in ['Underpaid', 'On Track', 'Overpaid', 'Not Yet Due'] %}
        select
            {{ loop.index }} as segment_order,
            '{{ segment }}' as segment
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

per_segment as (
    select
        segments.segment,
        count(loans.loan_id) as loans,
        count(case when loans.is_active then 1 end) as active_loans,
        coalesce(sum(loans.principal_amount), 0) as principal_amount,
        coalesce(sum(loans.outstanding_amount), 0) as outstanding_amount,
        coalesce(sum(loans.delta_amount), 0) as delta_amount,
        {{ average('loans.repayment_score') }} as average_repayment_score,
        {{ average('loans.days_past_due') }} as average_days_past_due,
        {{ average('loans.paid_ratio') }} as average_paid_ratio
    from segments
    left join loans
        on segments.segment = loans.segment
    group by segments.segment
),

final as (
    select
        -- dimensions
        segments.segment,
        segments.segment_order,
        -- measures
        per_segment.loans,
        {{ safe_divide('per_segment.loans', 'sum(per_segment.loans) over ()') }} as share_of_loans,
        per_segment.active_loans,
        per_segment.principal_amount,
        per_segment.outstanding_amount,
        per_segment.delta_amount,
        per_segment.average_repayment_score,
        per_segment.average_days_past_due,
        per_segment.average_paid_ratio
    from segments
    inner join per_segment
        on segments.segment = per_segment.segment
)

select * from final
