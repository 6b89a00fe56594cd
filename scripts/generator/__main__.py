"""Command line of the generator: ``.venv/bin/python -m scripts.generator --help``.

The one guard beyond argument types: ``--out`` may not be dbt's seeds folder or any folder in it
but ``seeds/sample``. dbt loads every CSV under ``seeds/``, so a second copy of a feed there
(``seeds/orders.csv`` beside ``seeds/sample/orders.csv``) makes every later dbt command fail on
duplicate seed names.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from scripts.generator.config import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_DIRTY_RATE,
    FEED_COLUMNS,
    FEEDS,
    Config,
)
from scripts.generator.generate import generate
from scripts.settings import PROJECT_DIR, SAMPLE_DIR

SEEDS_DIR = PROJECT_DIR / "seeds"


def parse_feeds(text: str) -> tuple[str, ...]:
    names = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in names if t not in FEED_COLUMNS]
    if unknown or not names:
        given = ", ".join(unknown) or "(none given)"
        raise argparse.ArgumentTypeError(f"unknown feed(s) {given}; choose from {', '.join(FEEDS)}")
    return tuple(f for f in FEEDS if f in names)  # contract order, no duplicates


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be >= 1")
    return value


def iso_date(text: str) -> str:
    try:
        return str(np.datetime64(text, "D"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from exc


def rate(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= 0.05:
        raise argparse.ArgumentTypeError("must be in (0, 0.05]")
    return value


HELP_DESCRIPTION = """\
Write deterministic synthetic raw loan feeds in the warehouse input contract.

  Family A (schedule-based fintech export): orders, plan, payments
  Family B (star schema, like the published Loan Performance data): dim_branch,
           dim_customer, fact_loans

Each feed is written as DIR/<feed>.csv or DIR/<feed>.parquet with exactly the contract
columns, all values as text (empty CSV field / Parquet null = null). The same arguments
and seed give byte-identical files. DIR/_manifest.json (always written) holds the
arguments, the rows per feed and, with --dirty, every injected quirk:
{feed, row_number (1-based, header excluded), key, kind: quarantine|flag, reason}.
"""

HELP_EPILOG = """\
notes:
  * rows are in id order: orders by order_id (= creation order), plan and payments by
    order_id then time, dim_* and fact_loans by id. With --dirty, duplicate rows come
    after their original; orphan rows sit at random places.
  * timestamps mix three ISO-8601 forms: 2022-06-01 | 2022-06-01 00:00:24 |
    2022-06-01 00:00:24.167 (a date means midnight); plan_at is a date or a midnight
    timestamp; money has two decimals.
  * closed_at of a disbursed order is the paid_at of the payment that brought the
    cumulative paid amount to the final plan_sum_total; empty = still open.

  * --out may not lie in seeds/ except seeds/sample (dbt would load the files twice).
    Build on any other folder with: dbt build --vars '{raw_dir: DIR}'.

examples (from the repository root):
  .venv/bin/python -m scripts.generator --out seeds/sample --dirty   # the bundled sample
  .venv/bin/python -m scripts.generator --out /tmp/raw --dirty       # same data, elsewhere
  .venv/bin/python -m scripts.generator --out /tmp/big --loans 1000000 --format parquet
  .venv/bin/python -m scripts.generator --out /tmp/a --feeds orders,plan,payments
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.generator",
        description=HELP_DESCRIPTION,
        epilog=HELP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="output folder (created if missing)"
    )
    parser.add_argument(
        "--seed", type=non_negative_int, default=42, metavar="N", help="random seed (default 42)"
    )
    parser.add_argument(
        "--loans",
        type=non_negative_int,
        default=2_000,
        metavar="N",
        help="Family A orders, incl. ~9%% never-disbursed applications (default 2000)",
    )
    parser.add_argument(
        "--family-b-loans",
        type=non_negative_int,
        default=None,
        metavar="N",
        help="Family B loans in fact_loans (default LOANS // 2); customers ~ N / 2, "
        "branches max(10, N // 5000)",
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=("csv", "parquet"),
        default="csv",
        help="file format (default csv; parquet columns are strings)",
    )
    parser.add_argument(
        "--dirty",
        action="store_true",
        help="inject every known quirk into about --dirty-rate of the rows of its feed (at "
        "least one each), one quirk per row, all listed in _manifest.json",
    )
    parser.add_argument(
        "--dirty-rate",
        type=rate,
        default=DEFAULT_DIRTY_RATE,
        metavar="SHARE",
        help=f"share of rows per quirk with --dirty, at most 0.05 (default {DEFAULT_DIRTY_RATE})",
    )
    parser.add_argument(
        "--feeds",
        type=parse_feeds,
        default=FEEDS,
        metavar="LIST",
        help="comma-separated feeds to write (default all): " + ",".join(FEEDS),
    )
    parser.add_argument(
        "--end-date",
        type=iso_date,
        default="2025-06-30",
        metavar="YYYY-MM-DD",
        help="data cut: nothing created, disbursed, paid or closed after it; plan points may be "
        "later (default 2025-06-30)",
    )
    parser.add_argument(
        "--chunk-size",
        type=positive_int,
        default=DEFAULT_CHUNK_SIZE,
        metavar="N",
        help="loans generated per chunk; bounds memory; changing it changes the data "
        f"(default {DEFAULT_CHUNK_SIZE})",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary lines")
    return parser


def seeds_folder_problem(out: Path) -> str | None:
    """Why --out may not be written, or None: only seeds/sample may lie in dbt's seeds folder."""
    target, seeds = out.resolve(), SEEDS_DIR.resolve()
    if target == SAMPLE_DIR.resolve() or not (target == seeds or seeds in target.parents):
        return None
    return (
        f"refusing to write into {out}: dbt loads every CSV under seeds/, so feeds there "
        f"duplicate the bundled sample's seeds and every later dbt command fails. Use "
        f"--out seeds/sample to regenerate the bundled sample (make sample), or a folder "
        f"outside seeds/ (e.g. --out /tmp/raw) and build on it with "
        f"dbt build --vars '{{raw_dir: /tmp/raw}}'."
    )


def config_from_args(argv: Sequence[str] | None = None) -> tuple[Config, bool]:
    parser = build_parser()
    args = parser.parse_args(argv)
    if problem := seeds_folder_problem(args.out):
        parser.error(problem)
    fb = args.loans // 2 if args.family_b_loans is None else args.family_b_loans
    cfg = Config(
        out=args.out,
        seed=args.seed,
        loans=args.loans,
        family_b_loans=fb,
        fmt=args.fmt,
        dirty=args.dirty,
        feeds=args.feeds,
        end_date=args.end_date,
        chunk_size=args.chunk_size,
        dirty_rate=args.dirty_rate,
    )
    return cfg, args.quiet


def main(argv: Sequence[str] | None = None) -> int:
    cfg, quiet = config_from_args(argv)
    began = time.perf_counter()
    other = "parquet" if cfg.fmt == "csv" else "csv"
    manifest = generate(cfg, progress=not quiet)
    if not quiet:
        rows = manifest["rows"]
        assert isinstance(rows, dict)
        for feed, count in rows.items():
            path = cfg.out / f"{feed}.{cfg.fmt}"
            print(f"{feed:<13} {count:>12,} rows -> {path}")
            if (cfg.out / f"{feed}.{other}").exists():
                print(f"  warning: {cfg.out / f'{feed}.{other}'} also exists (not written now)")
        n_inj = len(manifest["injected"])  # type: ignore[arg-type]
        print(
            f"manifest: {cfg.out / '_manifest.json'} ({n_inj:,} injected quirks); "
            f"{time.perf_counter() - began:.1f}s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
