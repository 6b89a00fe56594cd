{#
    The learned default model's frame: one row per Family A loan active and
    not more than 30 days past due at a snapshot (the loans a collector can
    still act on), with the features and the label of
    int_loan_month_end_outcomes and the row's role in the out-of-time split:

      evaluation  the latest default_model_evaluation_months month-ends whose
                  outcome is observed (its three next month-ends <= as_of_date);
      train       month-ends whose three-month outcome window ends on or
                  before the first evaluation month-end, so every training
                  label was known when the evaluation period began;
      as_of       the as-of snapshot, scored with no label (fct_loan_default_probability).

    Labelled month-ends between the two windows (their outcome reaches into
    the evaluation period) and month-ends whose outcome is not yet observed
    are not in the frame. The months are counted back from the last
    month-end on or before as_of_date.

    is_model_sample caps the work of the fit as the book grows: within each
    role, the first var default_model_max_sample_rows rows in the order of a
    hash of (loan_id, snapshot_date), a fixed pseudo-random order that does
    not depend on how the rows arrive. The model is fitted on the sampled
    train rows and its permutation importances are measured on the sampled
    evaluation rows; every evaluation and as_of row is still scored and
    every evaluation row judged. A book smaller than the cap uses every row.
    The sample is picked by a top-N per role (order by ... limit) on the
    keys only, then flagged by a join: a row_number over every row sorted
    the whole frame with all its columns (twice the model's cost at 1M loans).
#}

{%- set evaluation_months = var('default_model_evaluation_months') %}
{%- set max_sample_rows = var('default_model_max_sample_rows') %}

with

outcomes as (
    select * from {{ ref('int_loan_month_end_outcomes') }}
),

reporting_months as (
    select * from {{ ref('int_reporting_months_listed') }}
),

last_month_end as (
    select max(reporting_month) as last_month_end_month
    from reporting_months
    where not is_month_to_date
),

positioned as (
    select
        outcomes.*,
        {{ dbt.datediff(
            'outcomes.reporting_month', 'last_month_end.last_month_end_month', 'month'
        ) }} as months_before_last_month_end
    from outcomes
    cross join last_month_end
    where outcomes.days_past_due <= 30
),

{#
    The newest observed outcome is 3 months before the last month-end; the
    evaluation window is the evaluation_months month-ends ending there; a
    training month-end lies 3 months or more before the window's first.
#}
assigned as (
    select
        *,
        case
            when is_as_of_date then 'as_of'
            when not is_outcome_observed then null
            when
                months_before_last_month_end between 3 and {{ 3 + evaluation_months - 1 }}
                then 'evaluation'
            when months_before_last_month_end >= {{ 3 + evaluation_months - 1 + 3 }} then 'train'
        end as sample_role
    from positioned
),

in_frame as (
    select * from assigned
    where sample_role is not null
),

{# The first max_sample_rows keys of each role in the hash order. #}
sampled_keys as (
    {%- for role in ['train', 'evaluation', 'as_of'] %}
        select * from (
            select
                loan_id,
                snapshot_date
            from in_frame
            where sample_role = '{{ role }}'
            order by
                {{ dbt.hash(dbt.concat([
                    'loan_id', "'|'", 'cast(snapshot_date as ' ~ dbt.type_string() ~ ')'
                ])) }},
                loan_id,
                snapshot_date
            limit {{ max_sample_rows }}
        ) as sampled_{{ role }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

flagged as (
    select
        in_frame.*,
        sampled_keys.loan_id is not null as is_model_sample
    from in_frame
    left join sampled_keys
        on
            in_frame.loan_id = sampled_keys.loan_id
            and in_frame.snapshot_date = sampled_keys.snapshot_date
),

final as (
    select
        -- ids
        loan_id,
        -- dimensions
        sample_role,
        reporting_month,
        score_tier,
        -- measures
        paid_ratio,
        days_past_due,
        max_days_past_due,
        instalments_covered_late_count,
        payments_count,
        principal_amount,
        term_days,
        months_on_book,
        outstanding_amount,
        repayment_score,
        -- flags
        reaches_dpd_over_30,
        reaches_dpd_over_90,
        is_model_sample,
        -- dates
        snapshot_date
    from flagged
)

select * from final
