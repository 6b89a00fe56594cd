"""A feed delivered that stages nothing is said loudly at the end of the run.

The on-run-end hook report_unstaged_feeds prints a banner naming the feed, its row count and
its quarantine reasons when none of its rows could be staged, and one naming the file when it
holds a header and no rows; a feed with some rows staged, a feed with no file and the bundled
sample get none.
"""

from __future__ import annotations

from pathlib import Path

from conftest import DbtBuild, run_dbt

# Amounts written with a decimal comma, fields split by semicolons: every row unparseable.
FACT_LOANS = """\
LoanID;CustomerID;BranchID;LoanAmount;InterestRate;Term;StartDate;EndDate;Status;AmountPaid;\
OutstandingBalance
1;10;1;29749,87;6,48;36;2022-08-07;2025-08-07;Paid;25865,94;0,0
2;11;1;40716,34;9,11;12;2024-02-25;2025-02-25;Defaulted;38014,91;2701,43
3;12;2;1000,00;5,00;12;2024-03-01;2025-03-01;In Progress;100,00;900,00
"""
DIM_BRANCH = """BranchID,BranchName,City,Region
1,Central,Springfield,North
2,Harbour,Shelbyville,South
"""


def test_a_feed_with_no_row_staged_gets_a_banner_naming_it_and_its_reasons(
    tmp_path: Path,
) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "fact_loans.csv").write_text(FACT_LOANS)
    (feeds / "dim_branch.csv").write_text(DIM_BRANCH)
    build = run_dbt(
        ["run", "-s", "+int_feeds_reconciled", "+int_quarantine_reasons_counted"],
        tmp_path / "run",
        {"raw_dir": str(feeds)},
    )
    assert build.success, build.log[-3000:]
    banners = [line for line in build.log.splitlines() if "WARNING feed" in line]
    assert len(banners) == 1, banners  # dim_branch staged both its rows: no banner
    assert (
        "WARNING feed fact_loans: none of its 3 rows could be staged, all are quarantined "
        "(unparseable_number 3; see staging.stg_quarantine__rows)"
    ) in banners[0]


def test_a_feed_file_with_a_header_and_no_rows_gets_a_banner_an_absent_feed_none(
    tmp_path: Path,
) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "dim_branch.csv").write_text(DIM_BRANCH)
    (feeds / "fact_loans.csv").write_text(FACT_LOANS.splitlines()[0].replace(";", ",") + "\n")
    build = run_dbt(
        ["run", "-s", "+int_feeds_reconciled", "+int_quarantine_reasons_counted"],
        tmp_path / "run",
        {"raw_dir": str(feeds)},
    )
    assert build.success, build.log[-3000:]
    # dim_customer and the Family A feeds have no file: absent, said at the start, no banner
    banners = [line for line in build.log.splitlines() if "WARNING feed" in line]
    assert len(banners) == 1, banners
    assert (
        f"WARNING feed fact_loans: its file {feeds / 'fact_loans.csv'} has a header and no rows"
    ) in banners[0]


def test_the_bundled_sample_has_no_unstaged_feed_banner(sample_build: DbtBuild) -> None:
    assert "WARNING feed" not in sample_build.log
