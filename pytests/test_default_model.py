"""The learned default model (issue 15 §2): it finds a planted signal, gives the same output
run to run, says when it cannot be fitted, never sees anything after as_of_date, and its
marts agree with AUCs counted by hand."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DbtBuild, generate, run_dbt
from default_model_helpers import hand_auc, load_model_module, planted_frame
from threadpoolctl import threadpool_limits

MODEL = load_model_module()


def evaluation_auc(output: pd.DataFrame, frame: pd.DataFrame) -> float:
    predictions = output[(output["output_kind"] == "prediction")]
    scored = frame[frame["sample_role"] == "evaluation"].merge(
        predictions[["loan_id", "snapshot_date", "default_probability"]],
        on=["loan_id", "snapshot_date"],
        validate="one_to_one",
    )
    return hand_auc(scored["default_probability"].tolist(), scored["reaches_dpd_over_30"].tolist())


# --- the model's own code on generated frames --------------------------------------------


def test_the_model_finds_a_planted_signal_out_of_time() -> None:
    frame = planted_frame()
    output = MODEL.fit_and_score(frame)
    assert set(output["model_status"]) == {"fitted"}
    assert evaluation_auc(output, frame) > 0.8  # the planted rule alone reaches ~0.85
    importances = output[output["output_kind"] == "feature_importance"]
    top_two = set(importances.nlargest(2, "importance_mean")["feature_name"])
    assert top_two == {"max_days_past_due", "paid_ratio"}, importances


def test_without_a_signal_the_model_is_no_better_than_chance() -> None:
    """The AUC check above can fail: on coin-flip outcomes the same code scores ~0.5."""
    frame = planted_frame(signal=False)
    assert 0.42 < evaluation_auc(MODEL.fit_and_score(frame), frame) < 0.58


def test_the_output_is_the_same_run_to_run_and_whatever_the_row_order() -> None:
    frame = planted_frame(rows=3000)
    first = MODEL.fit_and_score(frame)
    again = MODEL.fit_and_score(frame)
    shuffled = MODEL.fit_and_score(frame.sample(frac=1.0, random_state=11))
    pd.testing.assert_frame_equal(first, again)
    key = ["output_kind", "loan_id", "snapshot_date", "feature_name"]
    pd.testing.assert_frame_equal(
        first.sort_values(key).reset_index(drop=True),
        shuffled.sort_values(key).reset_index(drop=True),
    )


def test_only_the_sampled_rows_are_fitted_on_and_every_row_is_scored() -> None:
    """Train rows outside is_model_sample, given labels opposite to the signal, change
    nothing: the output equals the fit on a frame without them, and evaluation rows outside
    the sample are still scored."""
    frame = planted_frame()
    noise = planted_frame(rows=3000, seed=8)
    noise = noise[noise["sample_role"] == "train"].assign(
        loan_id=lambda rows: rows["loan_id"] + "-noise", is_model_sample=False
    )
    noise["reaches_dpd_over_30"] = ~noise["reaches_dpd_over_30"].astype(bool)
    unsampled_evaluation = frame[frame["sample_role"] == "evaluation"].head(50)
    unsampled_evaluation = unsampled_evaluation.assign(
        loan_id=lambda rows: rows["loan_id"] + "-late", is_model_sample=False
    )
    with_noise = MODEL.fit_and_score(pd.concat([frame, noise, unsampled_evaluation]))
    without = MODEL.fit_and_score(pd.concat([frame, unsampled_evaluation]))
    pd.testing.assert_frame_equal(with_noise, without)
    scored = with_noise[with_noise["output_kind"] == "prediction"]
    late = scored[scored["loan_id"].str.endswith("-late")]
    assert len(late) == 50 and late["default_probability"].notna().all()


def test_importances_use_at_most_the_cap_of_sampled_evaluation_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past IMPORTANCE_MAX_ROWS sampled evaluation rows, the permutations re-score a fixed
    subset of exactly that many of them, the same whatever order the rows arrive in."""
    frame = planted_frame(rows=3000)
    sampled_evaluation = frame[(frame["sample_role"] == "evaluation") & frame["is_model_sample"]]
    assert len(sampled_evaluation) > 300
    seen: list[np.ndarray] = []
    measure = MODEL.permutation_importance

    def spy(estimator, features, labels, **options):  # type: ignore[no-untyped-def]
        seen.append(features)
        return measure(estimator, features, labels, **options)

    monkeypatch.setattr(MODEL, "IMPORTANCE_MAX_ROWS", 300)
    monkeypatch.setattr(MODEL, "permutation_importance", spy)
    first = MODEL.fit_and_score(frame)
    shuffled = MODEL.fit_and_score(frame.sample(frac=1.0, random_state=5))
    assert [len(features) for features in seen] == [300, 300]
    np.testing.assert_array_equal(seen[0], seen[1])

    def rows(features: np.ndarray) -> set[tuple[float, ...]]:
        return {tuple(row) for row in np.nan_to_num(features, nan=-1.0).tolist()}

    assert rows(seen[0]) <= rows(MODEL.feature_matrix(sampled_evaluation))
    importance = first[first["output_kind"] == "feature_importance"].reset_index(drop=True)
    again = shuffled[shuffled["output_kind"] == "feature_importance"].reset_index(drop=True)
    pd.testing.assert_frame_equal(importance, again)


def test_scoring_on_threads_equals_one_call_of_the_same_fit() -> None:
    """The scored rows are predicted in halves beside the importances, each on its own
    thread: every probability and importance equals a plain single-threaded
    predict_proba / out_of_time_importances call on the same fit (an odd row count, so the
    halves differ)."""
    frame = planted_frame(rows=3001)
    output = MODEL.fit_and_score(frame)
    ordered = frame.sort_values(["snapshot_date", "loan_id"], kind="mergesort")
    ordered = ordered.reset_index(drop=True)
    train = ordered[(ordered["sample_role"] == "train") & ordered["is_model_sample"]]
    scored = ordered[ordered["sample_role"] != "train"]
    with threadpool_limits(limits=1):
        classifier = MODEL.new_classifier().fit(
            MODEL.feature_matrix(train), train["reaches_dpd_over_30"].astype(int).to_numpy()
        )
        expected = classifier.predict_proba(MODEL.feature_matrix(scored))[:, 1]
        importances = MODEL.out_of_time_importances(classifier, ordered, MODEL.SEED)
    predictions = output[output["output_kind"] == "prediction"]
    assert predictions["loan_id"].tolist() == scored["loan_id"].tolist()
    np.testing.assert_array_equal(predictions["default_probability"].to_numpy(), expected)
    measured = output[output["output_kind"] == "feature_importance"]
    assert measured["feature_name"].tolist() == importances["feature_name"].tolist()
    np.testing.assert_array_equal(
        measured[["importance_mean", "importance_std"]].to_numpy(dtype=float),
        importances[["importance_mean", "importance_std"]].to_numpy(dtype=float),
    )


def test_every_scored_row_gets_a_probability_and_training_rows_none() -> None:
    frame = planted_frame(rows=2000)
    output = MODEL.fit_and_score(frame)
    predictions = output[output["output_kind"] == "prediction"]
    expected = frame[frame["sample_role"].isin(["evaluation", "as_of"])]
    assert len(predictions) == len(expected)
    assert set(predictions["sample_role"]) == {"evaluation", "as_of"}
    assert predictions["default_probability"].between(0, 1).all()


def test_a_frame_with_one_outcome_is_not_fitted_and_says_why() -> None:
    frame = planted_frame(rows=1000)
    frame.loc[frame["sample_role"] == "train", "reaches_dpd_over_30"] = False
    output = MODEL.fit_and_score(frame)
    assert set(output["model_status"]) == {
        "not fitted: the training month-ends hold only one outcome"
    }
    assert output["default_probability"].isna().all()
    assert (output["output_kind"] == "prediction").all()


def test_an_empty_frame_gives_an_empty_typed_output() -> None:
    frame = planted_frame(rows=500).iloc[0:0]
    output = MODEL.fit_and_score(frame)
    assert output.empty
    assert list(output.columns) == list(MODEL.OUTPUT_COLUMNS)


# --- the marts of the bundled sample -----------------------------------------------------


def test_the_marts_auc_and_brier_equal_a_count_by_hand(sample_build: DbtBuild) -> None:
    performance = {
        row[0]: row[1:]
        for row in sample_build.query(
            "select model_name, auc, brier_score, evaluation_rows_count, beats_rule_score "
            "from marts.rpt_default_model_performance"
        )
    }
    assert set(performance) == {"learned", "rule_score"}
    for model_name, (auc, brier, rows, _) in performance.items():
        scored = sample_build.query(
            "select predicted_probability, risk_score, reaches_dpd_over_30 "
            "from intermediate.int_default_model_evaluations where model_name = ?",
            [model_name],
        )
        assert len(scored) == rows > 100
        outcomes = [bool(o) for _, _, o in scored]
        assert auc == pytest.approx(hand_auc([r for _, r, _ in scored], outcomes), abs=1e-9)
        squared = [(p - o) ** 2 for (p, _, _), o in zip(scored, outcomes, strict=True)]
        assert brier == pytest.approx(sum(squared) / len(squared), abs=1e-9)
    # the rule score is read in its risk direction (a lower score is riskier): well above 0.5
    frame_auc = sample_build.query(
        "select f.repayment_score, f.reaches_dpd_over_30 "
        "from intermediate.int_loan_default_training_frame as f "
        "where f.sample_role = 'evaluation' and f.repayment_score is not null"
    )
    rule_auc = hand_auc([-float(s) for s, _ in frame_auc], [bool(o) for _, o in frame_auc])
    assert performance["rule_score"][0] == pytest.approx(rule_auc, abs=1e-9)
    assert rule_auc > 0.6
    learned_auc, rule = performance["learned"][0], performance["rule_score"][0]
    assert performance["learned"][3] == (learned_auc > rule)


def test_both_models_are_compared_on_the_same_rows(sample_build: DbtBuild) -> None:
    differing = sample_build.scalar(
        "select count(*) from ("
        " (select loan_id, snapshot_date from intermediate.int_default_model_evaluations"
        "  where model_name = 'learned'"
        "  except select loan_id, snapshot_date from intermediate.int_default_model_evaluations"
        "  where model_name = 'rule_score')"
        " union all"
        " (select loan_id, snapshot_date from intermediate.int_default_model_evaluations"
        "  where model_name = 'rule_score'"
        "  except select loan_id, snapshot_date from intermediate.int_default_model_evaluations"
        "  where model_name = 'learned'))"
    )
    assert differing == 0


def test_no_label_window_reaches_past_as_of_date(sample_build: DbtBuild) -> None:
    as_of = sample_build.scalar(
        "select as_of_date from marts.rpt_reporting_dates where portfolio = 'family_a'"
    )
    latest_window_end, first_evaluation, last_training = sample_build.query(
        "select max(last_day(snapshot_date + interval 3 month)),"
        " min(case when sample_role = 'evaluation' then snapshot_date end),"
        " max(case when sample_role = 'train' then snapshot_date end)"
        " from intermediate.int_loan_default_training_frame where sample_role <> 'as_of'"
    )[0]
    assert latest_window_end <= as_of
    # every training outcome window ends on or before the first evaluation month-end
    assert last_training + pd.DateOffset(months=3) <= pd.Timestamp(first_evaluation)


def test_every_active_loan_gets_a_row_and_deciles_order_the_probability(
    sample_build: DbtBuild,
) -> None:
    active = sample_build.scalar(
        "select count(*) from marts.fct_loan_repayment where loan_status = 'active'"
    )
    rows = sample_build.query(
        "select probability_decile, default_probability, days_past_due, probability_rank "
        "from marts.fct_loan_default_probability"
    )
    assert len(rows) == active > 0
    for decile, probability, dpd, rank in rows:
        in_scope = dpd <= 30
        assert (probability is not None) == in_scope == (rank is not None) == (decile is not None)
    by_decile: dict[int, list[float]] = {}
    for decile, probability, _, _ in rows:
        if decile is not None:
            by_decile.setdefault(decile, []).append(probability)
    assert sorted(by_decile) == list(range(1, 11))
    assert max(by_decile[1]) <= min(by_decile[10])
    ranked = sorted((r for r in rows if r[3] is not None), key=lambda r: r[3])
    assert [r[1] for r in ranked] == sorted((r[1] for r in ranked), reverse=True)


# --- nothing after as_of_date reaches the features or the labels --------------------------

AS_OF = "2024-12-31"


def truncate_feeds(source: Path, target: Path, as_of: str) -> None:
    """The feeds as they stood on as_of: later orders, payments and closings removed."""
    target.mkdir(parents=True)
    with (source / "orders.csv").open(newline="") as handle:
        orders = list(csv.DictReader(handle))
    kept = [o for o in orders if max(o["created_at"][:10], o["put_at"][:10]) <= as_of]
    for order in kept:
        if order["closed_at"][:10] > as_of:
            order["closed_at"] = ""
    known = {o["order_id"] for o in kept}
    write_csv(target / "orders.csv", kept, list(orders[0]))
    for feed, date_column in (("plan", None), ("payments", "paid_at")):
        with (source / f"{feed}.csv").open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        rows = [
            r
            for r in rows
            if r["order_id"] in known and (date_column is None or r[date_column][:10] <= as_of)
        ]
        write_csv(target / f"{feed}.csv", rows, list(rows[0]))
    for feed in ("dim_branch", "dim_customer", "fact_loans"):
        shutil.copy(source / f"{feed}.csv", target / f"{feed}.csv")


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def frame_and_outputs(build: DbtBuild) -> tuple[list[tuple], list[tuple]]:
    frame = build.query(
        "select * from intermediate.int_loan_default_training_frame order by snapshot_date, loan_id"
    )
    outputs = build.query(
        "select output_kind, loan_id, snapshot_date, sample_role, feature_name, model_status,"
        " default_probability, importance_mean, importance_std"
        " from intermediate.int_loan_default_model_outputs "
        "order by output_kind, snapshot_date, loan_id, feature_name"
    )
    return frame, outputs


def test_events_after_as_of_date_change_no_feature_label_or_probability(
    tmp_path: Path,
) -> None:
    full = tmp_path / "full"
    generate(full, "--seed", "5", "--loans", "700")
    truncated = tmp_path / "truncated"
    truncate_feeds(full, truncated, AS_OF)
    later_payments = sum(
        1 for row in csv.DictReader((full / "payments.csv").open()) if row["paid_at"][:10] > AS_OF
    )
    assert later_payments > 100, "the full feeds must hold events after the as-of date"

    selection = ["run", "--select", "+int_loan_default_model_outputs", "--exclude", "tag:sample"]
    builds = [
        run_dbt(selection, tmp_path / name, {"raw_dir": str(raw_dir), "as_of_date": AS_OF})
        for name, raw_dir in (("full_build", full), ("truncated_build", truncated))
    ]
    for build in builds:
        assert build.success, build.log[-3000:]
    (frame, outputs), (frame_cut, outputs_cut) = (frame_and_outputs(b) for b in builds)
    roles = {row[1] for row in frame}
    assert roles == {"train", "evaluation", "as_of"}, roles
    assert frame == frame_cut
    assert len(outputs) == len(outputs_cut) > 0
    for row, row_cut in zip(outputs, outputs_cut, strict=True):
        assert row[:6] == row_cut[:6]
        numbers, numbers_cut = (np.array(r[6:], dtype=float) for r in (row, row_cut))
        assert np.allclose(numbers, numbers_cut, rtol=0, atol=0, equal_nan=True), (row, row_cut)
