{#
    Simplified-approach provision (IFRS 9 B5.5.35) of every loan of both
    portfolios at its portfolio's as_of_date, banded by days past due with
    the bands and loss rates of var provision_matrix_bands.
    Family A: active loans by their DPD at as_of_date; carrying amount =
    principal outstanding (the EAD of the ECL models).
    Family B: active loans (In Progress, Approved) by how far behind their
    amortised expectation (int_loans_amortised) they are, in days:
    30 x the instalments behind = months elapsed - the whole months of the
    annuity schedule the reported paid amount covers, when the loan is
    behind schedule (beyond behind_schedule_tolerance_amount), else 0.
    Defaulted loans with a reported outstanding balance are credit-impaired:
    they take the last (open-ended) band. Carrying amount = reported
    outstanding balance. Paid loans carry no provision and have no row.
#}

{%- set bands = provision_matrix_bands() %}

with

loan_months as (
    select * from {{ ref('int_loan_months_snapshotted') }}
    where is_as_of_date and is_active
),

family_b_loans as (
    select * from {{ ref('int_loans_amortised') }}
),

family_a_days as (
    select
        'family_a' as portfolio,
        loan_id,
        'days_past_due' as band_basis,
        days_past_due,
        principal_outstanding_amount as carrying_amount
    from loan_months
),

{#
    Whole annuity months covered by the amount paid: the largest k with
    P ((1 + r)^k - 1) / ((1 + r)^n - 1) <= paid (P k / n at 0 %), the
    inverse of the expectation int_loans_amortised computes.
#}
family_b_months_covered as (
    select
        *,
        floor(
            case
                when reported_paid_amount <= 0 then 0
                when interest_rate_pct = 0
                    then
                        cast(reported_paid_amount as {{ type_double() }})
                        * term_months / principal_amount
                else
                    ln(
                        1 + reported_paid_amount
                        * (power(
                            1 + cast(interest_rate_pct as {{ type_double() }}) / 1200,
                            term_months
                        ) - 1)
                        / principal_amount
                    )
                    / ln(1 + cast(interest_rate_pct as {{ type_double() }}) / 1200)
            end + 1e-9
        ) as months_covered
    from family_b_loans
    where
        (is_active and principal_amount > 0 and term_months > 0)
        or (loan_status = 'Defaulted' and reported_outstanding_amount > 0)
),

family_b_days as (
    select
        'family_b' as portfolio,
        cast(loan_id as {{ dbt.type_string() }}) as loan_id,
        case
            when loan_status = 'Defaulted' then 'defaulted_status'
            else 'schedule_gap'
        end as band_basis,
        case
            when loan_status = 'Defaulted' then null
            when is_behind_schedule then 30 * greatest(months_elapsed - months_covered, 1)
            else 0
        end as days_past_due,
        reported_outstanding_amount as carrying_amount
    from family_b_months_covered
),

unioned as (
    select * from family_a_days
    union all
    select * from family_b_days
),

banded as (
    select
        *,
        case
            when days_past_due is null then '{{ bands[-1].band }}'
            else {{ provision_band('days_past_due') }}
        end as provision_band
    from unioned
),

rates as (
    {%- for band in bands %}
        select
            '{{ band.band }}' as provision_band,
            {{ loop.index }} as band_order,
            cast({{ band.loss_rate }} as {{ type_double() }}) as loss_rate
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        -- ids
        banded.portfolio,
        banded.loan_id,
        -- dimensions
        banded.provision_band,
        rates.band_order,
        banded.band_basis,
        -- measures
        banded.days_past_due,
        banded.carrying_amount,
        rates.loss_rate,
        cast(
            {{ round_half_up('banded.carrying_amount * rates.loss_rate') }} as decimal(18, 2)
        )
            as provision_amount
    from banded
    inner join rates
        on banded.provision_band = rates.provision_band
)

select * from final
