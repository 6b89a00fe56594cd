"""Great Expectations suites as code: one function per validated table, registered by name.

* ``raw_feeds.py`` - the six raw feeds (``RAW_FEED_SUITES``), as dbt loaded them (base models);
* ``marts.py``     - the BI marts (``MART_SUITES``), read from the warehouse;
* ``checks.py``    - severity (critical / warning), thresholds, the facts of a run (as-of dates,
  disbursed orders, the build's score tiers and repayment segments) and shared helpers.

A suite function takes the run's ``Facts`` and returns a list of expectations, each tagged
``critical`` or ``warning`` with the reason for it; ``python -m scripts.validate`` runs them.
"""
