"""Shared by the learned default model and pricing tests: the model module, a hand AUC,
and a planted-signal frame."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
from conftest import PROJECT_DIR

MODEL_FILE = PROJECT_DIR / "models" / "intermediate" / "ml" / "int_loan_default_model_outputs.py"


def load_model_module(path: Path = MODEL_FILE) -> ModuleType:
    """The dbt Python model's own file, imported as a module (its helpers are plain functions)."""
    spec = importlib.util.spec_from_file_location("int_loan_default_model_outputs", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hand_auc(risk: list[float], outcome: list[bool]) -> float:
    """Share of (outcome, non-outcome) pairs where the outcome is riskier; ties count half.

    Counted pair by pair, independently of sklearn and of the mart's rank-sum SQL.
    """
    positives = np.array([r for r, o in zip(risk, outcome, strict=True) if o], dtype=float)
    negatives = np.array([r for r, o in zip(risk, outcome, strict=True) if not o], dtype=float)
    assert len(positives) and len(negatives), "AUC needs both outcomes"
    wins = (positives[:, None] > negatives[None, :]).sum()
    ties = (positives[:, None] == negatives[None, :]).sum()
    return float((wins + 0.5 * ties) / (len(positives) * len(negatives)))


def planted_frame(rows: int = 6000, seed: int = 3, signal: bool = True) -> pd.DataFrame:
    """Loan month-ends shaped like int_loan_default_training_frame.

    With signal, the outcome depends on the worst DPD so far and the paid ratio only (a
    logistic rule); without, it is a coin flip independent of every feature.
    The first 70 % of the month-ends are `train`, the rest `evaluation`, plus 200 `as_of` rows.
    """
    rng = np.random.default_rng(seed)
    month_ends = pd.date_range("2022-01-31", periods=24, freq="ME")
    frame = pd.DataFrame(
        {
            "loan_id": [f"L{i:05d}" for i in range(rows)],
            "snapshot_date": month_ends[rng.integers(0, len(month_ends), rows)],
            "paid_ratio": np.where(rng.random(rows) < 0.1, np.nan, rng.uniform(0.3, 1.2, rows)),
            "days_past_due": rng.integers(0, 31, rows),
            "max_days_past_due": rng.integers(0, 120, rows),
            "instalments_covered_late_count": rng.integers(0, 6, rows),
            "payments_count": rng.integers(0, 12, rows),
            "principal_amount": rng.uniform(200, 2000, rows).round(2),
            "term_days": rng.choice([90, 180, 365], rows),
            "months_on_book": rng.integers(0, 12, rows),
        }
    )
    if signal:
        paid = frame["paid_ratio"].fillna(1.0)
        logit = -3.0 + 0.04 * frame["max_days_past_due"] + 2.5 * (paid < 0.7)
        probability = 1 / (1 + np.exp(-logit))
    else:
        probability = np.full(rows, 0.3)
    frame["reaches_dpd_over_30"] = rng.random(rows) < probability
    cut = month_ends[int(len(month_ends) * 0.7)]
    frame["sample_role"] = np.where(frame["snapshot_date"] < cut, "train", "evaluation")
    frame["is_model_sample"] = True
    as_of = frame.sample(200, random_state=1).assign(
        sample_role="as_of",
        snapshot_date=month_ends[-1] + pd.offsets.Day(10),
        reaches_dpd_over_30=None,
    )
    as_of["loan_id"] = as_of["loan_id"] + "-now"
    return pd.concat([frame, as_of], ignore_index=True)
