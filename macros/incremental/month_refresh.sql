{#
    Helpers of a model incremental by whole months (see
    int_loan_months_snapshotted): the months an incremental run recomputes
    start at the earliest month whose inputs changed since the previous
    build, found by comparing per-month input fingerprints (row count and
    sum of row hashes per input and event month) with those the previous
    build stored beside the table.
#}

{# The companion table holding a model's input fingerprints: <table>__input_fingerprints. #}
{% macro month_fingerprints_relation(relation) -%}
    {{ return(relation.incorporate(path={'identifier': relation.identifier ~ '__input_fingerprints'})) }}
{%- endmacro %}

{# That companion table as it exists in the warehouse, or none. #}
{% macro stored_month_fingerprints(relation) -%}
    {%- set companion = month_fingerprints_relation(relation) -%}
    {{ return(adapter.get_relation(
        database=companion.database,
        schema=companion.schema,
        identifier=companion.identifier,
    )) }}
{%- endmacro %}

{#
    Post-hook: replaces the companion table with the fingerprints of the
    inputs this build read, and the settings key it was built with.
#}
{% macro store_month_fingerprints(fingerprints_sql, settings_key) -%}
    {%- if execute -%}
        {%- set companion = month_fingerprints_relation(this) -%}
        {%- set existing = stored_month_fingerprints(this) -%}
        {%- if existing is not none -%}
            {%- do adapter.drop_relation(existing) -%}
        {%- endif -%}
        {%- set select_sql -%}
            select
                input_name,
                event_month,
                row_count,
                hash_sum,
                '{{ settings_key }}' as settings_key
            from ({{ fingerprints_sql }}) as fingerprints
        {%- endset -%}
        {%- do run_query(create_plain_table_as(companion, select_sql)) -%}
    {%- endif -%}
{%- endmacro %}

{#
    The statement deleting the months of relation the calendar does not
    have, or none where the engine cannot delete rows (Spark's Parquet
    tables). Dispatched.
#}
{% macro delete_months_outside(relation, month_column, calendar_relation) -%}
    {{ return(adapter.dispatch('delete_months_outside', 'loans_warehouse')(
        relation, month_column, calendar_relation
    )) }}
{%- endmacro %}

{% macro default__delete_months_outside(relation, month_column, calendar_relation) -%}
    {{ return(
        'delete from ' ~ relation ~ ' where ' ~ month_column ~ ' not in (select '
        ~ month_column ~ ' from ' ~ calendar_relation ~ ')'
    ) }}
{%- endmacro %}

{% macro spark__delete_months_outside(relation, month_column, calendar_relation) -%}
    {{ return(none) }}
{%- endmacro %}

{#
    Post-hook: deletes the months the calendar no longer has (after an
    incremental run that recomputed every month because of them; a no-op
    otherwise). Nothing on an engine that cannot delete rows: there
    month_refresh_start stops such a run before.
#}
{% macro trim_months_outside(calendar_relation, month_column) -%}
    {%- if execute and model.resource_type == 'model' -%}
        {%- set statement = delete_months_outside(this, month_column, calendar_relation) -%}
        {%- if statement -%}
            {%- do run_query(statement) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#
    The first month an incremental run of the calling model must recompute
    ('YYYY-MM-DD'), or none on a full build (table absent, --full-refresh,
    at parse time, in a unit test) and in a command that builds nothing
    (compile, docs generate, show: they render the full build's query
    without running the lookups). Rules, in order:
    - neither the inputs nor the table hold a month (no instalment loans):
      nothing to recompute, said so in the log;
    - the table holds a month outside the calendar (as_of_date moved back,
      the earliest loans went, another book built into the same file):
      every month, the others deleted by the post-hook trim_months_outside;
      where rows cannot be deleted (Spark), the run stops with an error
      asking for --full-refresh;
    - no stored fingerprints, or another settings key (model code, vars):
      every month (the calendar's first);
    - else the earliest of the latest month already built (its as-of row
      moves) and the earliest event month whose fingerprint differs (a row
      added, changed or removed), never before the calendar's first month.
#}
{% macro month_refresh_start(fingerprints_sql, settings_key, calendar_relation, month_column) -%}
    {#- a unit test (resource_type unit_test) checks the full build's query;
        compile, docs generate and show render it too, without the queries;
        retry re-runs a failed run or build's nodes, so it looks up like them #}
    {%- if not (
        execute and model.resource_type == 'model' and flags.WHICH in ['run', 'build', 'retry']
        and is_incremental()
    ) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set calendar = run_query(
        'select cast(min(' ~ month_column ~ ') as ' ~ dbt.type_string() ~ '), cast(max('
        ~ month_column ~ ') as ' ~ dbt.type_string() ~ ') from ' ~ calendar_relation
    ).rows[0] -%}
    {%- set built = run_query(
        'select cast(min(' ~ month_column ~ ') as ' ~ dbt.type_string() ~ '), cast(max('
        ~ month_column ~ ') as ' ~ dbt.type_string() ~ ') from ' ~ this
    ).rows[0] -%}
    {%- set first_month = calendar[0][:10] if calendar[0] is not none else '1900-01-01' -%}
    {%- set last_month = calendar[1][:10] if calendar[1] is not none else none -%}
    {%- set built_first = built[0][:10] if built[0] is not none else none -%}
    {%- set built_last = built[1][:10] if built[1] is not none else none -%}
    {%- set outside = built_last is not none and (
        last_month is none or built_last > last_month or built_first < first_month
    ) -%}
    {%- if outside and delete_months_outside(this, month_column, calendar_relation) is none -%}
        {{ exceptions.raise_compiler_error(
            this.identifier ~ ' holds months ' ~ built_first ~ ' to ' ~ built_last
            ~ ' but the inputs now give ' ~ (first_month if last_month else 'none')
            ~ ' to ' ~ last_month ~ ' (as_of_date moved back, or the earliest loans'
            ~ ' were removed): an incremental run only replaces months, it cannot'
            ~ ' remove one. Rebuild it: dbt build --full-refresh -s '
            ~ this.identifier ~ '+'
        ) }}
    {%- endif -%}
    {%- set stored = stored_month_fingerprints(this) -%}
    {%- if last_month is none and built_last is none -%}
        {%- set start = first_month -%}
        {%- set reason = 'no reporting month in the inputs nor in the table: nothing to build' -%}
    {%- elif outside -%}
        {%- set start = first_month -%}
        {%- set reason = 'the table holds months ' ~ built_first ~ ' to ' ~ built_last
            ~ ', the calendar ' ~ first_month ~ ' to ' ~ last_month
            ~ ': every month, the others deleted' -%}
    {%- elif stored is none -%}
        {%- set start = first_month -%}
        {%- set reason = 'no input fingerprints of the previous build: every month' -%}
    {%- else -%}
        {%- set other_settings = run_query(
            'select count(*) from ' ~ stored ~ " where settings_key <> '" ~ settings_key ~ "'"
        ).rows[0][0] -%}
        {%- if other_settings > 0 -%}
            {%- set start = first_month -%}
            {%- set reason = 'model code or vars changed since the previous build: every month' -%}
        {%- else -%}
            {%- set changed_sql -%}
                with current_prints as (
                    {{ fingerprints_sql }}
                ),
                previous_prints as (
                    select input_name, event_month, row_count, hash_sum from {{ stored }}
                ),
                compared as (
                    select
                        coalesce(current_prints.event_month, previous_prints.event_month) as event_month
                    from current_prints
                    full outer join previous_prints
                        on
                            current_prints.input_name = previous_prints.input_name
                            and current_prints.event_month = previous_prints.event_month
                    where
                        current_prints.input_name is null
                        or previous_prints.input_name is null
                        or current_prints.row_count <> previous_prints.row_count
                        or current_prints.hash_sum <> previous_prints.hash_sum
                )
                select cast(min(event_month) as {{ dbt.type_string() }}) from compared
            {%- endset -%}
            {%- set changed = run_query(changed_sql).rows[0][0] -%}
            {%- set changed_month = changed[:10] if changed is not none else none -%}
            {%- set candidates = [] -%}
            {%- for month in [built_last, changed_month] if month is not none -%}
                {%- do candidates.append(month) -%}
            {%- endfor -%}
            {%- set start = [candidates | min, first_month] | max if candidates else first_month -%}
            {%- set reason = 'latest month built ' ~ built_last ~ ', earliest changed input month '
                ~ changed_month -%}
        {%- endif -%}
    {%- endif -%}
    {{ log(this.identifier ~ ': incremental run recomputes months from ' ~ start ~ ' (' ~ reason ~ ')', info=True) }}
    {{ return(start) }}
{%- endmacro %}
