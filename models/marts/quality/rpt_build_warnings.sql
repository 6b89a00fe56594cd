{#
    What this build must not publish silently: one row per warning about the
    delivered feeds that stops nothing (a feed that staged nothing at all is
    critical instead: Great Expectations stops make build before publishing).
    The one home of these rules: the on-run-end banners print its rows
    (macro report_build_warnings) and the publish step copies them into the
    snapshot manifest's warnings, which the dashboard header shows.

      feed_file_empty            a feed file in raw_dir with a header and no
                                 rows: built as a feed delivered empty (an
                                 empty payments file leaves every loan
                                 unpaid), more often an export cut short.
      schedules_below_principal  more than half of the Family A loans with a
                                 schedule have one totalling less than the
                                 principal lent (has_schedule_below_principal):
                                 the plan most likely holds each instalment's
                                 amount, not the cumulative total due by
                                 plan_at the contract asks for; planned to
                                 date, arrears, DPD and PAR understate what is
                                 due. Fewer such loans are flagged and counted
                                 (rpt_data_quality_summary), not warned about.

    The files found in raw_dir are listed at compile time (macro
    raw_feed_files, as the base models read them); the bundled sample has
    none, and its seeds are never empty.
#}

{%- set found_files = raw_feed_files() if execute and var('raw_dir') is not none else {} %}

with

feeds_reconciled as (
    select * from {{ ref('int_feeds_reconciled') }}
),

loans as (
    select * from {{ ref('int_loans_disbursed') }}
),

delivered_files as (
    {%- for feed_name, path in found_files.items() %}
        select
            '{{ feed_name }}' as source_feed,
            '{{ dbt.escape_single_quotes(path.replace("\\", "/").split("/")[-1]) }}' as file_name
        union all
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as source_feed,
        cast(null as {{ dbt.type_string() }}) as file_name
    from feeds_reconciled
    where false
),

empty_files as (
    select
        'feed_file_empty' as warning_code,
        feeds_reconciled.source_feed,
        {{ dbt.concat([
            "'its file '", 'delivered_files.file_name',
            "' has a header and no rows; the warehouse is built as if the feed were delivered"
            ~ " empty: is the export complete?'"
        ]) }} as warning_message
    from feeds_reconciled
    inner join delivered_files
        on feeds_reconciled.source_feed = delivered_files.source_feed
    where feeds_reconciled.loaded_rows = 0
),

schedules_counted as (
    select
        count(case when has_schedule_below_principal then 1 end) as below_principal_count,
        count(case when not has_no_schedule then 1 end) as scheduled_count
    from loans
),

schedules_below_principal as (
    select
        'schedules_below_principal' as warning_code,
        'plan' as source_feed,
        {{ dbt.concat([
            "'for '", 'cast(below_principal_count as ' ~ dbt.type_string() ~ ')',
            "' of the '", 'cast(scheduled_count as ' ~ dbt.type_string() ~ ')',
            "' loans with a schedule, the last plan_sum_total is below the principal disbursed:"
            ~ " plan_sum_total must be the cumulative total due by plan_at, not the amount of"
            ~ " each instalment (or is the plan cut short?); planned to date, arrears, DPD and PAR"
            ~ " understate what is due (fct_loan_repayment.has_schedule_below_principal)'"
        ]) }} as warning_message
    from schedules_counted
    where below_principal_count * 2 > scheduled_count
),

final as (
    select
        warning_code,
        source_feed,
        warning_message
    from empty_files
    union all
    select
        warning_code,
        source_feed,
        warning_message
    from schedules_below_principal
)

select * from final
