"""Validate what dbt built with Great Expectations (GX Core 1.x); write Data Docs.

``.venv/bin/python -m scripts.validate`` (``make validate``) reads the warehouse dbt built, opened
read-only, and runs one suite per raw feed (``scripts/gx_suites/raw_feeds.py``, over the base model
dbt loaded the feed into) and one per registered mart (``scripts/gx_suites/marts.py``). The rules
that parse and quarantine rows, and the thresholds a mart is built with, live in dbt only: the
suites read dbt's outcome (``quarantine_reason``), the reporting dates
(``marts.rpt_reporting_dates``) and the thresholds of the build's vars
(``marts.rpt_reference_categories``), so a build with overridden vars validates against the
values it used.

Modules: ``warehouse`` (facts and tables, read in DuckDB), ``gx_run`` (GX and Data Docs),
``report`` (the report and its summary), ``__main__`` (command line).

Exit status: 0 when no critical expectation fails (warnings are printed, table by table, with what
was observed and what was expected); 1 when one does; 2 on a usage error (no warehouse, a docs
folder this tool did not write, ...). A feed dbt loaded no rows for is reported absent, not a
failure.
"""

import warnings

# Great Expectations imports pyspark when it is installed (for the Spark engine), and pyspark warns
# that it does not support pandas 3. The validation never uses Spark: the warning is only noise.
warnings.filterwarnings(
    "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
)
