{#
    Loans in arrears and the DPD buckets must tell the same story: every
    active loan in arrears is either in a past-due bucket (1-30 .. 90+) or
    in arrears at 0 days past due (an instalment due on the snapshot date
    itself, bucket current). Returns the months where the risk trend's
    loans_in_arrears differs from loans_in_arrears_at_zero_dpd plus the loans
    of every bucket but current, and the as-of loans of fct_loan_repayment
    that break the same rule one by one.
#}

{%- set past_due_buckets = dpd_buckets()[1:] %}

with

trend as (
    select * from {{ ref('rpt_risk_trend_monthly') }}
),

loans as (
    select * from {{ ref('fct_loan_repayment') }}
),

months_not_adding_up as (
    select
        cast(reporting_month as {{ dbt.type_string() }}) as failing_key,
        'trend month' as failing_check
    from trend
    where
        coalesce(loans_in_arrears, 0) <> coalesce(loans_in_arrears_at_zero_dpd, 0)
        {%- for bucket in past_due_buckets %}
            + coalesce({{ bucket.column }}_loans, 0)
        {%- endfor %}
),

loans_not_adding_up as (
    select
        loan_id as failing_key,
        'as-of loan' as failing_check
    from loans
    where
        is_active
        and (is_in_arrears and not is_in_arrears_at_zero_dpd) <> (dpd_bucket <> 'current')
),

final as (
    select * from months_not_adding_up
    union all
    select * from loans_not_adding_up
)

select * from final
