{#
    Every raw fact_loans row, parsed and tagged with the first rule it fails.
    Reads the customer and branch feeds for the foreign-key checks, so a loan
    of an unknown or quarantined customer / branch is quarantined rather than
    dropped by a later join.

    A negative OutstandingBalance is NOT quarantined: the published data has
    Defaulted loans paid beyond their amount with a negative balance (a
    credit). Such rows are kept and flagged by the data-quality marts, as are
    the other valid-but-inconsistent combinations (Paid with a balance...).
#}

{%- set accepted_statuses = feed_contract('fact_loans')['accepted_values']['Status'] -%}

with

raw_loans as (
    {{ read_feed('fact_loans') }}
),

customers as (
    select * from {{ ref('base_family_b__dim_customer') }}
),

branches as (
    select * from {{ ref('base_family_b__dim_branch') }}
),

loaded_customers as (
    select distinct customer_id from customers
),

{# Staged = a parent row with no quarantine reason (what the stg_ model keeps). #}
staged_customers as (
    select distinct customer_id from customers
    where quarantine_reason is null
),

loaded_branches as (
    select distinct branch_id from branches
),

staged_branches as (
    select distinct branch_id from branches
    where quarantine_reason is null
),

accepted_statuses as (
    {%- for status in accepted_statuses %}
        select '{{ status }}' as loan_status
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

parsed as (
    select
        raw_loans.source_row_number,
        {{ parse_feed_column('fact_loans', 'LoanID') }} as loan_id,
        {{ parse_feed_column('fact_loans', 'CustomerID') }} as customer_id,
        {{ parse_feed_column('fact_loans', 'BranchID') }} as branch_id,
        accepted_statuses.loan_status,
        {{ parse_feed_column('fact_loans', 'Status') }} as raw_status,
        {{ parse_feed_column('fact_loans', 'LoanAmount') }} as principal_amount,
        {{ parse_feed_column('fact_loans', 'InterestRate') }} as interest_rate_pct,
        {{ parse_feed_column('fact_loans', 'Term') }} as term_months,
        {{ parse_feed_column('fact_loans', 'AmountPaid') }} as reported_paid_amount,
        {{ parse_feed_column('fact_loans', 'OutstandingBalance') }} as reported_outstanding_amount,
        {{ parse_feed_column('fact_loans', 'StartDate') }} as start_date,
        {{ parse_feed_column('fact_loans', 'EndDate') }} as end_date,
        {{ blank_to_null('LoanID') }} is null as is_missing_key,
        {{ feed_has_unparseable('fact_loans', 'date') }} as has_unparseable_date,
        {{ feed_has_unparseable('fact_loans', 'number') }} as has_unparseable_number,
        {{ raw_cells('fact_loans') }}
    from raw_loans
    left join accepted_statuses
        on lower({{ blank_to_null('Status') }}) = lower(accepted_statuses.loan_status)
),

rules_checked as (
    select
        parsed.*,
        case
            when parsed.is_missing_key then 'missing_key'
            when parsed.has_unparseable_date then 'unparseable_date'
            when parsed.has_unparseable_number then 'unparseable_number'
            when
                parsed.customer_id is null
                or parsed.branch_id is null
                or parsed.principal_amount is null
                or parsed.start_date is null
                or parsed.raw_status is null
                then 'missing_value'
            when
                {{ is_implausible_date('parsed.start_date') }}
                or {{ is_implausible_date('parsed.end_date') }}
                then 'implausible_date'
            when parsed.principal_amount <= 0 then 'non_positive_amount'
            when parsed.reported_paid_amount < 0 then 'negative_amount'
            when
                parsed.interest_rate_pct not between 0 and 100
                or parsed.term_months <= 0
                then 'out_of_range_value'
            when parsed.loan_status is null then 'invalid_category'
            when parsed.end_date < parsed.start_date then 'date_out_of_order'
            when
                loaded_customers.customer_id is null
                or loaded_branches.branch_id is null
                then 'orphan_foreign_key'
            when
                staged_customers.customer_id is null
                or staged_branches.branch_id is null
                then 'parent_quarantined'
        end as rule_reason
    from parsed
    left join loaded_customers
        on parsed.customer_id = loaded_customers.customer_id
    left join staged_customers
        on parsed.customer_id = staged_customers.customer_id
    left join loaded_branches
        on parsed.branch_id = loaded_branches.branch_id
    left join staged_branches
        on parsed.branch_id = staged_branches.branch_id
),

tagged as (
    select
        *,
        coalesce(
            rule_reason,
            {{ later_duplicate_reason(['loan_id']) }}
        ) as quarantine_reason
    from rules_checked
),

final as (
    select
        -- ids
        loan_id,
        customer_id,
        branch_id,
        -- dimensions
        loan_status,
        -- measures
        principal_amount,
        interest_rate_pct,
        term_months,
        reported_paid_amount,
        reported_outstanding_amount,
        -- dates
        start_date,
        end_date,
        -- quarantine
        quarantine_reason,
        -- metadata
        source_row_number,
        {{ quarantined_row_details('fact_loans') }}
    from tagged
)

select * from final
