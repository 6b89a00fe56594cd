"""The data-quality summary tells a user what was wrong with their data.

Expectations come from the generator's manifest of what it injected into the
bundled sample, and from line counts of the files, never from the warehouse.
"""

from __future__ import annotations

import json
from collections import Counter

from conftest import SAMPLE_DIR, DbtBuild
from test_staging import FEEDS, data_rows


def summary(build: DbtBuild, category: str) -> dict[tuple[str, str], int]:
    rows = build.query(
        "select source_feed, issue_code, rows_count from marts.rpt_data_quality_summary "
        "where category = ?",
        [category],
    )
    return {(feed, code): count for feed, code, count in rows}


def test_every_feed_shows_its_loaded_rows(sample_build: DbtBuild) -> None:
    loaded = summary(sample_build, "loaded")
    assert loaded == {(feed, "all rows"): data_rows(SAMPLE_DIR, feed) for feed in FEEDS}


def test_quarantine_reasons_are_those_the_generator_injected(sample_build: DbtBuild) -> None:
    manifest = json.loads((SAMPLE_DIR / "_manifest.json").read_text())
    injected = Counter(
        (entry["feed"], entry["reason"])
        for entry in manifest["injected"]
        if entry["kind"] == "quarantine"
    )
    assert summary(sample_build, "quarantined") == dict(injected)


def test_family_a_flags_count_the_loans_the_generator_flagged(sample_build: DbtBuild) -> None:
    manifest = json.loads((SAMPLE_DIR / "_manifest.json").read_text())
    flagged = summary(sample_build, "flagged")
    for reason in ["plan_step_down", "payment_before_disbursal"]:
        loans = {
            entry["key"]
            for entry in manifest["injected"]
            if entry["kind"] == "flag" and entry["reason"] == reason
        }
        assert flagged[("orders", reason)] == len(loans), reason


def test_staged_plus_quarantined_is_loaded_for_every_feed(sample_build: DbtBuild) -> None:
    loaded, staged = summary(sample_build, "loaded"), summary(sample_build, "staged")
    quarantined = Counter()
    for (feed, _), count in summary(sample_build, "quarantined").items():
        quarantined[feed] += count
    for feed in FEEDS:
        assert loaded[(feed, "all rows")] == staged[(feed, "all rows")] + quarantined[feed]


def test_family_b_flags_agree_with_the_flag_mart(sample_build: DbtBuild) -> None:
    """The summary counts the rules over the intermediate flags, rpt_data_quality_flags over
    fct_loans: on the sample (every loan in the book as of its latest date) they must agree."""
    flagged = summary(sample_build, "flagged")
    family_b = {code: count for (feed, code), count in flagged.items() if feed == "fact_loans"}
    rules = sample_build.query(
        "select rule_code, loans_flagged_count from marts.rpt_data_quality_flags "
        "where loans_flagged_count > 0"
    )
    assert family_b == dict(rules)
    assert family_b, "the bundled sample breaks some Family B rule"
