"""Generate deterministic synthetic raw feeds for the loan analytics warehouse.

Two independent portfolios are written, each in the exact shape of the input contract
(``docs/input_contract.md``):

* Family A (schedule based, like a fintech export): ``orders``, ``plan``, ``payments``.
* Family B (star schema, like the published Loan Performance data set): ``dim_branch``,
  ``dim_customer``, ``fact_loans``.

Every value is written as text (CSV, or all-string Parquet columns), so a Parquet file holds
exactly the same text as the CSV file for the same arguments.  The output is a pure function of
the arguments: the same arguments and seed give byte-identical files (one numpy generator per
seed, purpose and chunk, so ``--feeds`` subsets give the same rows as a full run).  Loans are
generated in chunks with vectorised numpy / pyarrow code, so a million loans take seconds and
memory stays bounded by the chunk size.

Family A model
    Orders are created over the 30 months up to ``--end-date`` (volume growing slightly);
    order_id = 100001, 100002, ... in creation order.  About 8-9 % are applications that are
    never disbursed (no ``put_at``, no plan, no payments; about half of them cancelled, i.e.
    ``closed_at`` set), including orders whose disbursal would fall after the cut.
    ``put_at`` = created_at + 0-3 days.  The plan has 3-12 cumulative points, monthly
    (calendar month or 30 days) or fortnightly after put_at, up to principal x (1 + fee); all
    points are written, also those after the cut.  Payment behaviours: on time, late (5-40
    days), partial (40-90 % of each instalment, most settle the rest after the last due date),
    defaulters (pay k instalments and stop; 45 % settle through collections months later),
    early repayers (one or two big payments), overpayers, never-payers, catch-up payers.
    About 8 % of payments arrive in two parts on the same day.  Only payments dated on or
    before the cut are written.  ``closed_at`` is the ``paid_at`` (same text) of the payment
    that brings the cumulative paid amount to the final plan total; empty = open (~23 %).
    Timestamps mix ``2022-06-01`` / ``2022-06-01 00:00:24`` / ``2022-06-01 00:00:24.167`` row
    by row (the value is what the text says: a date means midnight); payments are always at
    least one calendar day after put_at.

Family B model
    Branches in invented cities of US states; customers with fake names, age, gender, income
    and employment; loans starting in the 3 years up to the cut with EndDate = StartDate +
    Term months (month-end clipped).  Defaults are driven by unemployment, low income, youth
    and a high rate; matured loans are Paid, some are repaid early, recent ones Approved,
    the rest In Progress with AmountPaid = annuity principal repaid so far (some behind).

``--dirty`` adds the quirks the warehouse must quarantine or flag, each on its own row, and
lists every one in ``_manifest.json`` with its 1-based data row number, key, kind and reason.

Modules, in the order the data flows: ``config`` (contract feeds, tunables, ``Config``), ``text``
(names, text cells), ``dirty`` (quirk bookkeeping), ``family_a``, ``family_b``, ``writer`` (CSV /
Parquet, manifest), ``generate`` (orchestration), ``__main__`` (command line). Run it from the
repository root with the project's environment: ``.venv/bin/python -m scripts.generator --help``.
"""

from __future__ import annotations

import importlib.util

# The generator needs the project's pinned stack; a bare `python3` usually lacks it. Say so in
# words (and how to run it) instead of a ModuleNotFoundError from deep inside a module.
REQUIRED_PACKAGES = ("numpy", "pyarrow", "tqdm", "yaml")
RUN_WITH = ".venv/bin/python -m scripts.generator"


def missing_packages() -> list[str]:
    return [name for name in REQUIRED_PACKAGES if importlib.util.find_spec(name) is None]


if missing := missing_packages():
    raise SystemExit(
        f"generator: Python package(s) {', '.join(missing)} missing from this interpreter. "
        f"Run the generator with the project's environment, from the repository root:\n"
        f"  {RUN_WITH} --help\n"
        f"(`make venv` creates .venv from requirements.txt)."
    )
