{#
    One row per Family A loan active at as_of_date: the learned model's
    probability that it reaches DPD > 30 at one of the next three
    month-ends, its decile, the rule repayment score and tier, and the rank
    of the loan under each (1 = riskiest). The model covers loans not yet
    more than 30 days past due; a loan already past that point has no
    probability nor probability rank (is_in_model_scope false: the outcome
    has happened); a loan with nothing due yet has no repayment score nor
    score rank.
    probability_decile: 10 = the riskiest tenth of the scored loans.
#}

with

loans as (
    select * from {{ ref('int_loans_repayment_scored') }}
    where is_active
),

outputs as (
    select * from {{ ref('int_loan_default_model_outputs') }}
    where output_kind = 'prediction' and sample_role = 'as_of'
),

joined as (
    select
        loans.loan_id,
        loans.score_tier,
        loans.dpd_bucket,
        loans.outstanding_amount,
        loans.days_past_due,
        loans.repayment_score,
        outputs.default_probability,
        loans.days_past_due <= 30 as is_in_model_scope,
        loans.as_of_date
    from loans
    left join outputs
        on loans.loan_id = outputs.loan_id
),

final as (
    select
        -- ids
        loan_id,
        -- dimensions
        score_tier,
        dpd_bucket,
        case
            when default_probability is not null
                then ntile(10) over (
                    partition by default_probability is not null
                    order by default_probability, loan_id
                )
        end as probability_decile,
        -- measures
        cast(default_probability as {{ type_double() }}) as default_probability,
        repayment_score,
        days_past_due,
        outstanding_amount,
        case
            when default_probability is not null
                then row_number() over (
                    order by
                        case when default_probability is null then 1 else 0 end,
                        default_probability desc,
                        loan_id asc
                )
        end as probability_rank,
        case
            when repayment_score is not null
                then row_number() over (
                    order by
                        case when repayment_score is null then 1 else 0 end,
                        repayment_score,
                        loan_id
                )
        end as score_rank,
        -- flags
        is_in_model_scope,
        -- dates
        as_of_date
    from joined
)

select * from final
