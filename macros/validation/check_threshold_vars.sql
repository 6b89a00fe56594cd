{#-
    Every threshold var in its range, else the run stops naming each var that
    is out of range (all of them at once, one per line). The ranges:
      tolerances (arrears_tolerance, segment_tolerance,
        behind_schedule_tolerance_amount, reconciliation_tolerance_amount) >= 0;
      score_tier_floors within 0-100 and strictly descending;
      repayment_score_weights in [0, 1] summing to 1 (validate_repayment_score_weights);
      repayment_score_dpd_caps > 0; score_band_width in (0, 100];
      planned_vs_actual_bin_edges strictly ascending;
      plausible_date_range two YYYY-MM-DD dates, first before second;
      plausible_age_range two numbers, 0 <= first < second;
      min_segment_size an integer >= 1; risk_loan_to_income_threshold > 0;
      risk_interest_rate_threshold_pct in (0, 100]; risk_tier_points: exactly
      the three rules, each >= 0; risk_tier_min_points high > medium >= 1;
      reporting_date_horizon_days an integer >= 1;
      currency_code '' or three letters (ISO 4217, e.g. EUR);
      raw_csv_encoding one of csv_encodings() (utf-8, utf-16, latin-1);
      par_thresholds (when declared) ascending positive integers;
      the learned default model and pricing vars (macro default_model_var_problems).
-#}
{% macro check_threshold_vars() %}
    {%- set problems = [] -%}

    {%- for name in ['arrears_tolerance', 'segment_tolerance', 'behind_schedule_tolerance_amount', 'reconciliation_tolerance_amount'] -%}
        {%- set value = var(name) -%}
        {%- if value is not number or value is sameas true or value is sameas false or value < 0 -%}
            {%- do problems.append("var " ~ name ~ " must be a number >= 0; got " ~ value) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set floors = var('score_tier_floors') -%}
    {%- set floor_values = floors.values() | list if floors is mapping else [] -%}
    {%- set floors_ok = namespace(ok=floor_values | length > 0) -%}
    {%- for floor in floor_values -%}
        {%- if floor is not number or floor < 0 or floor > 100 or (not loop.first and floor >= floor_values[loop.index0 - 1]) -%}
            {%- set floors_ok.ok = false -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not floors_ok.ok -%}
        {%- do problems.append("var score_tier_floors must map each tier to a floor within 0-100, highest tier first, strictly descending; got " ~ floors) -%}
    {%- endif -%}

    {%- set weights = var('repayment_score_weights') -%}
    {%- if weights is not mapping or weights.values() | reject('number') | list -%}
        {%- do problems.append("var repayment_score_weights must map paid_ratio, current_dpd, max_dpd to numbers; got " ~ weights) -%}
    {%- else -%}
        {%- do validate_repayment_score_weights(weights) -%}
    {%- endif -%}

    {%- set caps = var('repayment_score_dpd_caps') -%}
    {%- if caps is not mapping or caps.values() | reject('number') | list or caps.values() | select('le', 0) | list -%}
        {%- do problems.append("var repayment_score_dpd_caps must give each cap as a number of days > 0; got " ~ caps) -%}
    {%- endif -%}

    {%- set band_width = var('score_band_width') -%}
    {%- if band_width is not number or band_width <= 0 or band_width > 100 -%}
        {%- do problems.append("var score_band_width must be a number in (0, 100]; got " ~ band_width) -%}
    {%- endif -%}

    {%- set edges = var('planned_vs_actual_bin_edges') -%}
    {%- if not check_ascending_numbers(edges) -%}
        {%- do problems.append("var planned_vs_actual_bin_edges must be a list of numbers in strictly ascending order; got " ~ edges) -%}
    {%- endif -%}

    {%- set date_range = var('plausible_date_range') -%}
    {%- set date_pattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' -%}
    {%- if date_range is string or date_range is mapping or date_range | length != 2
        or not modules.re.match(date_pattern, date_range[0] | string)
        or not modules.re.match(date_pattern, date_range[1] | string)
        or (date_range[0] | string) >= (date_range[1] | string) -%}
        {%- do problems.append("var plausible_date_range must be [earliest, latest] as YYYY-MM-DD dates, earliest first; got " ~ date_range) -%}
    {%- endif -%}

    {%- set age_range = var('plausible_age_range') -%}
    {%- if not check_ascending_numbers(age_range) or age_range | length != 2 or age_range[0] < 0 -%}
        {%- do problems.append("var plausible_age_range must be [youngest, oldest] in years, 0 <= youngest < oldest; got " ~ age_range) -%}
    {%- endif -%}

    {%- set min_segment_size = var('min_segment_size') -%}
    {%- if min_segment_size is not integer or min_segment_size < 1 -%}
        {%- do problems.append("var min_segment_size must be an integer >= 1; got " ~ min_segment_size) -%}
    {%- endif -%}

    {%- set loan_to_income = var('risk_loan_to_income_threshold') -%}
    {%- if loan_to_income is not number or loan_to_income <= 0 -%}
        {%- do problems.append("var risk_loan_to_income_threshold must be a number > 0; got " ~ loan_to_income) -%}
    {%- endif -%}

    {%- set rate_threshold = var('risk_interest_rate_threshold_pct') -%}
    {%- if rate_threshold is not number or rate_threshold <= 0 or rate_threshold > 100 -%}
        {%- do problems.append("var risk_interest_rate_threshold_pct must be a percentage in (0, 100]; got " ~ rate_threshold) -%}
    {%- endif -%}

    {%- set points = var('risk_tier_points') -%}
    {%- if points is not mapping or points.keys() | list | sort != ['high_interest_rate', 'high_loan_to_income', 'unemployed']
        or points.values() | reject('number') | list or points.values() | select('lt', 0) | list -%}
        {%- do problems.append("var risk_tier_points must give each rule (high_loan_to_income, high_interest_rate, unemployed) a number of points >= 0; got " ~ points) -%}
    {%- endif -%}

    {%- set min_points = var('risk_tier_min_points') -%}
    {%- if min_points is not mapping or min_points.get('high') is not number or min_points.get('medium') is not number
        or min_points['medium'] < 1 or min_points['high'] <= min_points['medium'] -%}
        {%- do problems.append("var risk_tier_min_points must have high > medium >= 1; got " ~ min_points) -%}
    {%- endif -%}

    {%- set gap_days = var('reporting_date_horizon_days') -%}
    {%- if gap_days is not integer or gap_days < 1 -%}
        {%- do problems.append("var reporting_date_horizon_days must be an integer >= 1; got " ~ gap_days) -%}
    {%- endif -%}

    {%- set currency_code = var('currency_code') -%}
    {%- if currency_code is not string or not modules.re.match('^([A-Za-z]{3})?$', currency_code) -%}
        {%- do problems.append("var currency_code must be '' (amounts in currency units) or a three-letter code such as EUR; got '" ~ currency_code ~ "'") -%}
    {%- endif -%}

    {%- set csv_encoding = var('raw_csv_encoding') -%}
    {%- if csv_encoding not in csv_encodings() -%}
        {%- do problems.append("var raw_csv_encoding must be one of " ~ csv_encodings() | join(', ') ~ " (the encoding of the CSV feeds); got '" ~ csv_encoding ~ "'") -%}
    {%- endif -%}

    {%- set par_thresholds = var('par_thresholds', none) -%}
    {%- if par_thresholds is not none and (not check_ascending_numbers(par_thresholds)
        or par_thresholds | reject('integer') | list or par_thresholds | select('le', 0) | list) -%}
        {%- do problems.append("var par_thresholds must be a list of positive whole numbers of days in ascending order; got " ~ par_thresholds) -%}
    {%- endif -%}

    {%- do problems.extend(default_model_var_problems()) -%}

    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "out-of-range var(s), nothing was built:\n  - " ~ problems | join("\n  - ")
        ) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
