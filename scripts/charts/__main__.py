"""Command line: python -m scripts.charts [--warehouse FILE] [--out DIR] [--only CHART ...]."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from scripts import charts
from scripts.charts import run as runner
from scripts.charts.catalogue import CHARTS, README_CHARTS


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.charts",
        description=(charts.__doc__ or "").split("\n\n")[0],
        epilog="charts: "
        + ", ".join(CHARTS)
        + "\n\nexit status: 0 = every chart written (drawn, or empty with the reason in words), "
        "1 = a chart's mart is missing from the warehouse (the others are written), "
        "2 = usage error\n\n"
        "examples:\n"
        "  python -m scripts.charts               # the published snapshot -> target/charts/\n"
        "  python -m scripts.charts --warehouse warehouse/loans.duckdb --only par_trend\n"
        "  python -m scripts.charts --readme-images   # also copy the README's pictures",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        metavar="FILE",
        help="DuckDB file with the marts, opened read-only (default: the published snapshot "
        "$LOANS_PUBLISHED_DIR/loans.duckdb if it exists, else $LOANS_WAREHOUSE or "
        "warehouse/loans.duckdb); amounts take the currency of the manifest.json beside it",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=runner.DEFAULT_OUT,
        metavar="DIR",
        help="folder for <chart>.png and its <chart>.json sidecar (default: target/charts)",
    )
    parser.add_argument(
        "--only", nargs="+", choices=list(CHARTS), metavar="CHART", help="draw only these charts"
    )
    parser.add_argument(
        "--readme-images",
        action="store_true",
        help=f"copy {', '.join(README_CHARTS)} into docs/images/ for the README "
        "(only when all of them are drawn)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    warehouse = args.warehouse or runner.default_warehouse()
    if not warehouse.exists():
        print(f"charts: warehouse {warehouse} not found: run `make build` first", file=sys.stderr)
        return 2
    began = time.perf_counter()
    drawn = runner.run(warehouse, args.out, args.only or list(CHARTS), quiet=args.quiet)
    for chart in drawn:
        detail = f" ({chart.message})" if chart.message else ""
        print(f"  {chart.name:<30} {chart.status}{detail}")
    skipped = [chart.name for chart in drawn if chart.status == "skipped"]
    if args.readme_images:
        status = {chart.name: chart.status for chart in drawn}
        if any(status.get(name) != "drawn" for name in README_CHARTS):
            print("charts: the README's charts were not all drawn; docs/images/ unchanged")
            return 1
        for path in runner.copy_readme_images(args.out, runner.README_IMAGES):
            print(f"  README image: {path}")
    written = len(drawn) - len(skipped)
    print(
        f"{'FAILED' if skipped else 'OK'}: {written} chart(s) from {warehouse} in "
        f"{time.perf_counter() - began:.1f}s -> {args.out}/"
    )
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
