"""The data-quality summary tells a user what was wrong with their data.

Expectations come from the generator's manifest of what it injected into the
bundled sample, and from line counts of the files, never from the warehouse.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

from conftest import SAMPLE_DIR, DbtBuild, generate, run_dbt
from test_staging import FEEDS, data_rows

from scripts.publish import build_description


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


def write_plan_as_instalments(feeds: Path) -> dict[str, Decimal]:
    """Rewrite the generated plan.csv as each instalment's amount (cumulative total minus the
    loan's previous one), the contract's most likely misreading; return each loan's largest
    instalment."""
    with (feeds / "plan.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    previous: dict[str, Decimal] = defaultdict(Decimal)
    largest: dict[str, Decimal] = defaultdict(Decimal)
    for row in sorted(rows, key=lambda r: (r["order_id"], r["plan_at"])):
        cumulative = Decimal(row["plan_sum_total"])
        row["plan_sum_total"] = str(cumulative - previous[row["order_id"]])
        previous[row["order_id"]] = cumulative
        largest[row["order_id"]] = max(largest[row["order_id"]], Decimal(row["plan_sum_total"]))
    with (feeds / "plan.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return largest


def test_a_plan_of_instalment_amounts_is_flagged_per_loan_and_named_in_a_banner(
    tmp_path: Path,
) -> None:
    feeds = tmp_path / "feeds"
    generate(feeds, "--loans", "120", "--seed", "5", "--feeds", "orders,plan,payments")
    command = ["run", "-s", "+rpt_build_warnings"]
    as_delivered = run_dbt(command, tmp_path / "delivered", {"raw_dir": str(feeds)})
    assert as_delivered.success, as_delivered.log[-3000:]
    assert "WARNING feed plan" not in as_delivered.log
    assert (
        as_delivered.scalar(
            "select count(*) from intermediate.int_loans_disbursed "
            "where has_schedule_below_principal"
        )
        == 0
    )

    largest = write_plan_as_instalments(feeds)
    with (feeds / "orders.csv").open(newline="") as handle:
        principal = {
            row["order_id"]: Decimal(row["issued_sum"])
            for row in csv.DictReader(handle)
            if row["put_at"]
        }
    # the schedule's total is the running maximum of the plan: here the largest instalment
    expected = sorted(
        loan for loan in principal if loan in largest and largest[loan] < principal[loan]
    )
    build = run_dbt(command, tmp_path / "instalments", {"raw_dir": str(feeds)})
    assert build.success, build.log[-3000:]
    flagged = [
        loan
        for (loan,) in build.query(
            "select loan_id from intermediate.int_loans_disbursed "
            "where has_schedule_below_principal order by loan_id"
        )
    ]
    assert flagged == expected and len(expected) > len(principal) // 2
    banners = [line for line in build.log.splitlines() if "WARNING feed plan" in line]
    assert len(banners) == 1, banners
    scheduled = sum(1 for loan in principal if loan in largest)
    assert f"for {len(expected)} of the {scheduled} loans with a schedule" in banners[0]
    # the same sentence is the mart's row, which the publish step puts in the manifest
    ((feed, message),) = build.query(
        "select source_feed, warning_message from marts.rpt_build_warnings"
    )
    assert f"WARNING feed {feed}: {message}" in banners[0]
    assert build_description({}, [], {}, None, [(feed, message)])["warnings"] == [
        f"feed plan: {message}"
    ]
