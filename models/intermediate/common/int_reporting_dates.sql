{#
    The one home of the reporting date. var as_of_date, when set, applies to
    both portfolios; otherwise each portfolio is reported as of the latest
    event date in its own loaded feeds (Family A: application, disbursal,
    closure and payment dates; Family B: loan start dates; a Family B EndDate
    is a schedule, not an event). Never current_date, so the same input gives
    the same output. A portfolio with no rows has a null as_of_date.

    Isolated outliers: an event date more than var reporting_date_horizon_days
    after the previous event date of its portfolio, with fewer events on or
    after it than before it, starts a tail of outliers (e.g. one payment typed
    2099-01-01 in a 2024 feed). The default reporting date ignores that tail
    and as_of_warning says so. as_of_warning also flags a var as_of_date
    before the portfolio's first event or more than the horizon after its
    last event. The build goes on; the warning reaches the log (on-run-end)
    and the published manifest.
#}

{%- set as_of_date = var('as_of_date') -%}
{%- set horizon_days = var('reporting_date_horizon_days') -%}

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

portfolios as (
    select 'family_a' as portfolio
    union all
    select 'family_b' as portfolio
),

event_dates as (
    select
        'family_a' as portfolio,
        created_date as event_date
    from orders
    union all
    select
        'family_a' as portfolio,
        disbursed_date as event_date
    from orders
    union all
    select
        'family_a' as portfolio,
        closed_date as event_date
    from orders
    union all
    select
        'family_a' as portfolio,
        paid_date as event_date
    from payments
    union all
    select
        'family_b' as portfolio,
        start_date as event_date
    from family_b_loans
),

event_date_counts as (
    select
        portfolio,
        event_date,
        count(*) as events_count
    from event_dates
    where event_date is not null
    group by portfolio, event_date
),

event_date_gaps as (
    select
        portfolio,
        event_date,
        {{ dbt.datediff(
            'lag(event_date) over (partition by portfolio order by event_date)',
            'event_date',
            'day'
        ) }} as days_after_previous_event,
        sum(events_count) over (
            partition by portfolio order by event_date desc
            rows between unbounded preceding and current row
        ) as events_from_here_count,
        sum(events_count) over (partition by portfolio) as portfolio_events_count
    from event_date_counts
),

outlier_starts as (
    select
        portfolio,
        min(event_date) as outlier_from_date
    from event_date_gaps
    where
        days_after_previous_event > {{ horizon_days }}
        and events_from_here_count * 2 < portfolio_events_count
    group by portfolio
),

event_dates_classified as (
    select
        event_date_counts.portfolio,
        event_date_counts.event_date,
        event_date_counts.events_count,
        coalesce(
            event_date_counts.event_date >= outlier_starts.outlier_from_date, false
        ) as is_isolated_outlier
    from event_date_counts
    left join outlier_starts
        on event_date_counts.portfolio = outlier_starts.portfolio
),

portfolio_events as (
    select
        portfolio,
        min(event_date) as first_event_date,
        max(case when not is_isolated_outlier then event_date end) as latest_event_date,
        sum(case when is_isolated_outlier then events_count else 0 end) as outlier_events_count,
        min(case when is_isolated_outlier then event_date end) as first_outlier_date,
        max(case when is_isolated_outlier then event_date end) as last_outlier_date
    from event_dates_classified
    group by portfolio
),

reporting_dates as (
    select
        portfolios.portfolio,
        {%- if as_of_date is none %}
            portfolio_events.latest_event_date as as_of_date,
        {%- else %}
            cast('{{ as_of_date }}' as date) as as_of_date,
        {%- endif %}
        portfolio_events.first_event_date,
        portfolio_events.latest_event_date,
        coalesce(portfolio_events.outlier_events_count, 0) as outlier_events_count,
        portfolio_events.first_outlier_date,
        portfolio_events.last_outlier_date,
        '{{ "latest event date" if as_of_date is none else "var as_of_date" }}' as as_of_date_source
    from portfolios
    left join portfolio_events
        on portfolios.portfolio = portfolio_events.portfolio
),

final as (
    select
        portfolio,
        as_of_date,
        first_event_date,
        latest_event_date,
        outlier_events_count,
        first_outlier_date,
        last_outlier_date,
        as_of_date_source,
        case
            {%- if as_of_date is none %}
                when outlier_events_count > 0
                    then {{ dbt.concat([
                        "cast(outlier_events_count as " ~ dbt.type_string() ~ ")",
                        "' event(s) dated '",
                        "cast(first_outlier_date as " ~ dbt.type_string() ~ ")",
                        "' to '",
                        "cast(last_outlier_date as " ~ dbt.type_string() ~ ")",
                        "' lie more than " ~ horizon_days ~ " days after every other event (likely mistyped dates): "
                        ~ "the reporting date ignores them and is '",
                        "cast(as_of_date as " ~ dbt.type_string() ~ ")",
                        "'; correct the feed or set var as_of_date'",
                    ]) }}
            {%- else %}
                when as_of_date < first_event_date
                    then {{ dbt.concat([
                        "'as_of_date '",
                        "cast(as_of_date as " ~ dbt.type_string() ~ ")",
                        "' is before the first loan of this portfolio ('",
                        "cast(first_event_date as " ~ dbt.type_string() ~ ")",
                        "'): no loan of it had started by then'",
                    ]) }}
                when {{ dbt.datediff('latest_event_date', 'as_of_date', 'day') }} > {{ horizon_days }}
                    then {{ dbt.concat([
                        "'as_of_date '",
                        "cast(as_of_date as " ~ dbt.type_string() ~ ")",
                        "' is '",
                        "cast(" ~ dbt.datediff('latest_event_date', 'as_of_date', 'day') ~ " as " ~ dbt.type_string() ~ ")",
                        "' days after the last event ('",
                        "cast(latest_event_date as " ~ dbt.type_string() ~ ")",
                        "'): every open loan is aged past its last known activity; check the date and the feed'",
                    ]) }}
            {%- endif %}
        end as as_of_warning
    from reporting_dates
)

select * from final
