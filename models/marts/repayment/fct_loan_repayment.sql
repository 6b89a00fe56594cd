{#
    One row per disbursed Family A loan as of as_of_date: its state, segment,
    repayment score and tier, and its data-quality flags, as computed once by
    int_loans_repayment_scored (which fct_loans reads too: the two marts are
    siblings on the intermediate layer). The BI-facing mart of that
    intermediate: its columns are the intermediate's, listed once there and
    documented and tested here (YAML meta bi_facing_mart_of).
#}

with

loans as (
    select * from {{ ref('int_loans_repayment_scored') }}
),

final as (
    select * from loans
)

select * from final
