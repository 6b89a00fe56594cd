"""A feed delivered that stages nothing is said loudly at the end of the run.

The on-run-end hook report_unstaged_feeds prints a banner naming the feed, its row count and
its quarantine reasons when none of its rows could be staged; report_build_warnings one naming
the file when it holds a header and no rows (a row of rpt_build_warnings); a feed with some
rows staged, a feed with no file and the bundled sample get none.
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


def feed_banners(folder: Path, files: dict[str, str]) -> list[str]:
    """The `WARNING feed` lines of a run of the feed reconciliation on a folder of these files."""
    feeds = folder / "feeds"
    feeds.mkdir()
    for name, text in files.items():
        (feeds / name).write_text(text)
    build = run_dbt(
        [
            "run",
            "-s",
            "+int_feeds_reconciled",
            "+int_quarantine_reasons_counted",
            "+rpt_build_warnings",
        ],
        folder / "run",
        {"raw_dir": str(feeds)},
    )
    assert build.success, build.log[-3000:]
    return [line for line in build.log.splitlines() if "WARNING feed" in line]


def test_a_feed_with_no_row_staged_gets_a_banner_naming_it_and_its_reasons(
    tmp_path: Path,
) -> None:
    banners = feed_banners(tmp_path, {"fact_loans.csv": FACT_LOANS, "dim_branch.csv": DIM_BRANCH})
    assert len(banners) == 1, banners  # dim_branch staged both its rows: no banner
    assert (
        "WARNING feed fact_loans: none of its 3 rows could be staged, all are quarantined "
        "(unparseable_number 3; see staging.stg_quarantine__rows)"
    ) in banners[0]


def test_a_feed_file_with_a_header_and_no_rows_gets_a_banner_an_absent_feed_none(
    tmp_path: Path,
) -> None:
    header_only = FACT_LOANS.splitlines()[0].replace(";", ",") + "\n"
    banners = feed_banners(tmp_path, {"fact_loans.csv": header_only, "dim_branch.csv": DIM_BRANCH})
    # dim_customer and the Family A feeds have no file: absent, said at the start, no banner
    assert len(banners) == 1, banners
    assert "WARNING feed fact_loans: its file fact_loans.csv has a header and no rows" in banners[0]


def test_the_bundled_sample_has_no_unstaged_feed_banner(sample_build: DbtBuild) -> None:
    assert "WARNING feed" not in sample_build.log
