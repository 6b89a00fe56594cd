"""The suites of the BI marts, read from the warehouse's ``marts`` schema.

None yet: the marts are being built. To validate one, write a function here and register it::

    def fct_loans(facts: Facts) -> list[Expectation]:
        return [
            warning(gxe.ExpectColumnValuesToBeBetween(column="score", min_value=0, max_value=100),
                    "the repayment score is 0-100 by definition (METRICS.md)"),
        ]

    MART_SUITES = {"fct_loans": fct_loans}

``scripts/validate.py`` then reads ``marts.fct_loans`` from ``--warehouse`` (read-only), validates
it with that suite and gives it a Data Docs page; a mart missing from the warehouse is reported
absent. ``facts.as_of`` (per family) is there for date checks; ``critical`` / ``warning`` and the
shared thresholds are in ``checks.py``.
"""

from __future__ import annotations

from gx_suites.checks import SuiteBuilder

MART_SUITES: dict[str, SuiteBuilder] = {}
