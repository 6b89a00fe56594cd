"""The learned default model: fit on the training month-ends, score the rest.

A gradient-boosted tree classifier (scikit-learn HistGradientBoostingClassifier,
fixed hyper-parameters and seed, rows sorted before fitting, so the same frame
gives the same output) predicts reaches_dpd_over_30 from the features of
int_loan_default_training_frame, fitted on its sampled `train` rows only
(is_model_sample: at most var default_model_max_sample_rows rows, so the fit
stops growing with the book). It then scores every `evaluation` row
(out-of-time: later month-ends the model never saw) and every `as_of` row.
Missing paid ratios (nothing due yet) are left missing: the trees route them
on their own.

dbt hands a Python model one output table, so the one fit writes two kinds of
rows (output_kind): `prediction` (loan_id, snapshot_date, sample_role,
default_probability) and `feature_importance` (feature_name, the mean and
standard deviation of the drop in out-of-time AUC when that feature is
permuted, five repeats, on at most IMPORTANCE_MAX_ROWS of the sampled
evaluation rows: each repeat re-scores those rows once per feature, which
made the importances four times the cost of the fit and the scoring together
at 1M loans; importance_std shows the noise the subset leaves).
When the frame cannot be fitted (no training rows, or
only one outcome among them) the predictions are null and model_status says why.

Runs on DuckDB only (dbt-duckdb executes Python models in-process); on another
engine the model and the marts reading it are disabled (see the YAML and the
on-run-start log line of macro log_default_model_engine).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.inspection import permutation_importance
from threadpoolctl import threadpool_limits

FEATURES = [
    "paid_ratio",
    "days_past_due",
    "max_days_past_due",
    "instalments_covered_late_count",
    "payments_count",
    "principal_amount",
    "term_days",
    "months_on_book",
]
LABEL = "reaches_dpd_over_30"
READ_COLUMNS = ["loan_id", "snapshot_date", "sample_role", "is_model_sample", LABEL, *FEATURES]
READ_ROWS = "sample_role <> 'train' or is_model_sample"
SEED = 20240601
PERMUTATION_REPEATS = 5
IMPORTANCE_MAX_ROWS = 20_000
SCORING_THREADS = 2
Result = TypeVar("Result")
OUTPUT_COLUMNS = {
    "output_kind": "string",
    "loan_id": "string",
    "snapshot_date": "datetime64[us]",
    "sample_role": "string",
    "default_probability": "float64",
    "feature_name": "string",
    "importance_mean": "float64",
    "importance_std": "float64",
    "model_status": "string",
}


def new_classifier(seed: int = SEED) -> HistGradientBoostingClassifier:
    """The model, with fixed settings (not tuned on the evaluation window).

    100 trees at learning rate 0.1: at 1M generated loans, 200 at 0.05 gave the same
    out-of-time AUC and Brier score at twice the cost of fitting and scoring (docs/metrics.md).
    """
    return HistGradientBoostingClassifier(
        max_iter=100,
        learning_rate=0.1,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=seed,
    )


def feature_matrix(rows: pd.DataFrame) -> np.ndarray:
    return rows[FEATURES].astype("float64").to_numpy()


def unfitted_reason(train: pd.DataFrame) -> str | None:
    if train.empty:
        return "not fitted: no training month-end (too little history before the evaluation window)"
    if train[LABEL].nunique() < 2:
        return "not fitted: the training month-ends hold only one outcome"
    return None


def fit_and_score(frame: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """Fit on the frame's train rows; return prediction and importance rows.

    One OpenMP thread: the trees' OpenMP threads, oversubscribed beside dbt's own threads on
    a small machine, made a fit of seconds take minutes (and permutation importances five
    times slower). The scoring after the fit runs on SCORING_THREADS Python threads instead
    (see score_and_measure).
    """
    with threadpool_limits(limits=1):
        return fit_and_score_single_threaded(frame, seed)


def fit_and_score_single_threaded(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    frame = frame.sort_values(["snapshot_date", "loan_id"], kind="mergesort").reset_index(drop=True)
    train = frame[(frame["sample_role"] == "train") & frame["is_model_sample"]]
    scored = frame[frame["sample_role"].isin(["evaluation", "as_of"])]
    status = unfitted_reason(train)
    predictions = scored[["loan_id", "snapshot_date", "sample_role"]].copy()
    predictions["output_kind"] = "prediction"
    importances = pd.DataFrame(columns=["feature_name", "importance_mean", "importance_std"])
    if status is None:
        classifier = new_classifier(seed).fit(
            feature_matrix(train), train[LABEL].astype(int).to_numpy()
        )
        probabilities, importances = score_and_measure(classifier, scored, frame, seed)
        predictions["default_probability"] = probabilities
        status = "fitted"
    else:
        predictions["default_probability"] = np.nan
    importances["output_kind"] = "feature_importance"
    output = pd.concat([predictions, importances], ignore_index=True)
    output["model_status"] = status
    return conform(output)


def score_and_measure(
    classifier: HistGradientBoostingClassifier, scored: pd.DataFrame, frame: pd.DataFrame, seed: int
) -> tuple[np.ndarray, pd.DataFrame]:
    """The scored rows' probabilities and the importances, computed side by side.

    Three coarse pieces (the importances, each half of the scored rows), each on a Python
    thread with one OpenMP thread: the trees' traversal releases the GIL, so two pieces use
    two cores, and on a busy machine they only share the cores (no OpenMP barrier spins:
    measured at 1M loans under load, the same CPU time as one thread). A row's probability
    does not depend on the rows scored beside it, so the output equals one predict_proba call.
    """
    matrix = feature_matrix(scored)
    halves = np.array_split(np.arange(len(matrix)), 2)
    with ThreadPoolExecutor(max_workers=SCORING_THREADS) as pool:
        importances = pool.submit(one_thread, out_of_time_importances, classifier, frame, seed)
        parts = [pool.submit(one_thread, probability, classifier, matrix[rows]) for rows in halves]
        return np.concatenate([part.result() for part in parts]), importances.result()


def one_thread(task: Callable[..., Result], *arguments: object) -> Result:
    """OpenMP thread limits are per calling thread: a pool thread sets its own."""
    with threadpool_limits(limits=1):
        return task(*arguments)


def probability(classifier: HistGradientBoostingClassifier, features: np.ndarray) -> np.ndarray:
    if len(features) == 0:
        return np.empty(0)
    return classifier.predict_proba(features)[:, 1]


def out_of_time_importances(
    classifier: HistGradientBoostingClassifier, frame: pd.DataFrame, seed: int
) -> pd.DataFrame:
    """Drop in out-of-time AUC when each feature is shuffled (none without both outcomes)."""
    evaluation = frame[(frame["sample_role"] == "evaluation") & frame["is_model_sample"]]
    if len(evaluation) > IMPORTANCE_MAX_ROWS:
        evaluation = evaluation.sample(n=IMPORTANCE_MAX_ROWS, random_state=seed).sort_index()
    if evaluation.empty or evaluation[LABEL].nunique() < 2:
        return pd.DataFrame(columns=["feature_name", "importance_mean", "importance_std"])
    result = permutation_importance(
        classifier,
        feature_matrix(evaluation),
        evaluation[LABEL].astype(int).to_numpy(),
        scoring="roc_auc",
        n_repeats=PERMUTATION_REPEATS,
        random_state=seed,
        n_jobs=1,
    )
    return pd.DataFrame(
        {
            "feature_name": FEATURES,
            "importance_mean": result.importances_mean,
            "importance_std": result.importances_std,
        }
    )


def conform(output: pd.DataFrame) -> pd.DataFrame:
    """Every output column, in order and typed, even when there are no rows.

    Text as pandas' string dtype, not object: at 1M loans DuckDB reads it into the table in
    about half the time, and the cast from the frame's strings costs nothing."""
    for column, dtype in OUTPUT_COLUMNS.items():
        if column not in output:
            output[column] = None
        output[column] = output[column].astype(dtype)
    return output[list(OUTPUT_COLUMNS)]


def model(dbt, session):
    """Only the rows and columns fit_and_score reads reach pandas: the train rows outside
    the sample are most of the frame of an old book and would only be filtered out there."""
    dbt.config(materialized="table")
    frame = (
        dbt.ref("int_loan_default_training_frame")
        .filter(READ_ROWS)
        .project(", ".join(READ_COLUMNS))
        .df()
    )
    return fit_and_score(frame)
