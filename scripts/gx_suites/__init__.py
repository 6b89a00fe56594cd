"""Great Expectations suites as code: one function per validated table, registered by name.

* ``raw_feeds.py`` - the six raw feeds (``RAW_FEED_SUITES``), read as dbt reads them;
* ``marts.py``     - the BI marts (``MART_SUITES``), read from the warehouse;
* ``checks.py``    - severity (critical / warning), thresholds, the facts of a run (as-of date,
  disbursed orders) and the checks every raw feed gets from the contract.

A suite function takes the run's ``Facts`` and returns a list of expectations, each tagged
``critical`` or ``warning`` with the reason for it; ``scripts/validate.py`` runs them.
"""
