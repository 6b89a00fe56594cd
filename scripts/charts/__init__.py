"""Draw the marts as PNG charts, each with a JSON sidecar of exactly what was plotted.

Run as ``python -m scripts.charts`` (``make charts``). Reads the ``marts`` schema only, through a
read-only DuckDB connection: by default the published snapshot (``$LOANS_PUBLISHED_DIR/
loans.duckdb``) when it exists, else the working warehouse (``$LOANS_WAREHOUSE``). Every number
drawn is a mart's value as stored: Python selects, orders, pivots and labels rows, and never
aggregates or recomputes a metric. Category names, order and bounds (DPD buckets, segments,
score tiers, portfolio names) come from ``marts.rpt_reference_categories``; amounts carry the
currency of the snapshot's ``manifest.json`` ("currency units" when it names none). Each chart
declares the marts it reads and may query no other (its dbt exposure in
``models/marts/_charts__exposures.yml`` lists the same marts).

A chart with nothing to draw (its portfolio has no loan in this build, its mart has no row, or
nothing to count) is written as a figure that says so in words and draws no data, and reported
"empty (why)"; a chart whose mart is missing from the warehouse is skipped and makes the exit
status 1.

Modules: ``style`` (look), ``marts`` (mart access, vocabulary, currency), ``repayment``,
``risk``, ``loan_book``, ``quality`` (the charts, by area), ``cohorts`` (the vintage-highlight
rule, pandas only, shared with the dashboard), ``catalogue`` (every chart and its
marts), ``sidecar`` (what was drawn), ``run`` (drawing and writing), ``__main__`` (command line).
"""
