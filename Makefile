# Two commands on a fresh clone (needs only python3 and make):
#   make build   bootstrap .venv from requirements.txt, build the warehouse, docs
#   make test    everything CI checks: lint, dbt build with all data tests, pytest
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
DBT := $(BIN)/dbt
export LOANS_WAREHOUSE ?= warehouse/loans.duckdb
export LOANS_PUBLISHED_DIR ?= warehouse/published
PUBLISH_KEEP ?= 3
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: build-spark test-spark spark-venv spark-leg
.PHONY: help venv build dbt-build publish docs docs-generate validate charts readme-images dashboard test-browser test lint portability dag-check dbt-test pytest sample benchmark benchmark-spark benchmark-curve lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)  ## create .venv with the pinned stack (reused when up to date)

# What to build: the bundled sample (nothing set), or a lender's folder of feeds.
#   make build RAW_DIR=/data/lender_x AS_OF=2025-03-31 LABEL="lender x March" VARS='{segment_tolerance: 0.1}'
# RAW_DIR -> var raw_dir, AS_OF -> var as_of_date, VARS = any other vars (a YAML mapping);
# LABEL names the published snapshot for people (default: the folder's name and as-of date).
RAW_DIR ?=
AS_OF ?=
LABEL ?=
VARS ?=
comma := ,
# The one --vars argument every dbt command of the build gets (empty when nothing is set).
VARS_BODY := $(shell printf '%s' '$(VARS)' | sed -E 's/^[[:space:]]*\{(.*)\}[[:space:]]*$$/\1/')
DBT_VARS := $(strip $(if $(RAW_DIR),raw_dir: "$(RAW_DIR)"$(if $(AS_OF)$(VARS_BODY),$(comma)))\
	$(if $(AS_OF),as_of_date: "$(AS_OF)"$(if $(VARS_BODY),$(comma)))$(VARS_BODY))
DBT_VARS_ARG := $(if $(DBT_VARS),--vars '{$(DBT_VARS)}')

# validate before publish: a critical Great Expectations finding (e.g. a feed the warehouse
# cannot read, every row quarantined) stops make before the snapshot is swapped, so the
# dashboard keeps showing the last good build (write, audit, then publish).
build: venv dbt-build validate publish docs-generate charts  ## build, test, validate (GX) and publish the bundled sample or RAW_DIR=<folder> [AS_OF= LABEL= VARS=], docs, charts
	@echo 'Built from:            $(if $(RAW_DIR),$(RAW_DIR),the bundled sample (seeds/sample))$(if $(DBT_VARS), with vars {$(DBT_VARS)})'
	@echo "Warehouse (working):   $(LOANS_WAREHOUSE)"
	@echo "Published snapshot:    $(LOANS_PUBLISHED_DIR)/loans.duckdb (+ parquet/, manifest.json)"
	@echo "dbt docs:              target/static_index.html"
	@echo "GX Data Docs:          target/gx_data_docs/index.html"
	@echo "Charts:                target/charts/<chart>.png (+ <chart>.json of the plotted values)"

dbt-build: venv
	@mkdir -p $(dir $(LOANS_WAREHOUSE))
	$(DBT) build $(DBT_VARS_ARG)

# Reads target/run_results.json and refuses unless the last dbt command was a
# successful build, so it runs before `dbt docs generate` (which rewrites that file).
publish: venv  ## copy the marts to a read-only snapshot (+ Parquet) and swap it in atomically
	$(BIN)/python -m scripts.publish --keep $(PUBLISH_KEEP)$(if $(LABEL), --label "$(LABEL)")

docs-generate: venv
	$(DBT) docs generate --static $(DBT_VARS_ARG)

DOCS_PORT ?= 8080
docs: docs-generate  ## write the dbt docs (one offline HTML file) and serve them on DOCS_PORT (8080)
	@echo "dbt docs: http://localhost:$(DOCS_PORT)/static_index.html  (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(DOCS_PORT) --bind 127.0.0.1 --directory target

# Great Expectations on what dbt built (the raw feeds as loaded into the base models, and every
# mart with a suite), so it runs after the build; fails on a critical expectation only (warnings
# are printed, and shown apart in the Data Docs).
validate: venv  ## validate the built feeds and marts with Great Expectations; Data Docs in target/gx_data_docs/
	$(BIN)/python -m scripts.validate

# Reads the published snapshot (marts only, read-only), so it runs after publish.
charts: venv  ## draw the marts as PNGs (+ JSON sidecars) in target/charts/
	$(BIN)/python -m scripts.charts

readme-images: venv  ## redraw the README's pictures into docs/images/ (run after make build)
	$(BIN)/python -m scripts.charts --readme-images

DASHBOARD_PORT ?= 8501
DASHBOARD_ADDRESS ?= 127.0.0.1
# Reads only the published snapshot (read-only): `make build` may run while it is up.
# Run from the repository root as a module, so `dashboard` and `scripts` import as packages.
dashboard: venv  ## serve the dashboard on the published snapshot at DASHBOARD_PORT (8501)
	@test -e $(LOANS_PUBLISHED_DIR)/loans.duckdb || echo "No published snapshot yet: run make build (the dashboard says so too)."
	@echo "Dashboard: http://localhost:$(DASHBOARD_PORT)  (Ctrl-C to stop)"
	$(BIN)/python -m streamlit run dashboard/app.py --server.port $(DASHBOARD_PORT) --server.address $(DASHBOARD_ADDRESS)

CHROMIUM ?= /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# Debian's chromium (Playwright's own browser download does not work here), installed when missing.
test-browser: venv  ## the dashboard in headless Chromium; a screenshot per page in target/dashboard_screenshots/
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium; }
	LOANS_CHROMIUM=$(CHROMIUM) LOANS_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -m browser

# test-spark: the same models on Spark, every mart compared with DuckDB (README "Running on Spark").
test: venv lint portability dag-check dbt-test validate pytest test-spark  ## everything CI checks

lint: venv  ## sqlfluff (zero violations) and ruff
	$(BIN)/sqlfluff lint models tests analyses
	$(BIN)/ruff check scripts pytests dashboard models
	$(BIN)/ruff format --check scripts pytests dashboard models

# Models and singular tests hold no DuckDB-only SQL (it lives in dispatched macros), so the
# same project builds on Spark; no exceptions list.
portability: venv  ## fail on DuckDB-only SQL in a model or singular test (file:line)
	$(BIN)/python -m scripts.check_portability

# The layering rules (dbt-project-evaluator equivalents) over the manifest `dbt parse` writes;
# a finding is allowed only when the model's meta says why (dag_rule_exception).
dag-check: venv  ## check the DAG goes one way (staging -> intermediate -> marts -> exposures)
	$(DBT) parse --quiet
	$(BIN)/python -m scripts.check_dag --manifest target/manifest.json

dbt-test: venv  ## dbt build on the bundled sample: every model, unit test and data test
	@mkdir -p $(dir $(LOANS_WAREHOUSE))
	$(DBT) build
	$(BIN)/mf validate-configs  # semantic layer (models/semantic): its specs, then each against the built warehouse

# pytest-xdist worker processes: 2 (one per core of the reference machine; most tests wait on
# a dbt build, which keeps about one core busy). PYTEST_WORKERS=0 runs every test in this process,
# one after another. --dist loadfile: a worker runs a whole test file, so module fixtures (some
# are dbt builds) are made once; the session builds (sample, ...) are made once per run and copied
# to each worker (pytests/conftest.py, made_once). --no-loadscope-reorder keeps the file order of
# conftest's RUN_FIRST_UNDER_XDIST (slowest first) instead of ordering files by test count.
# (Not --dist loadgroup: with pytest 9.2 it silently ignores the xdist_group marks, xdist #1386.)
PYTEST_WORKERS ?= 2
pytest: venv  ## Python tests on PYTEST_WORKERS processes (2; 0 = serial), dbt through dbtRunner on temporary warehouses
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

sample: venv  ## regenerate the bundled sample in seeds/sample
	$(BIN)/python -m scripts.generator --out seeds/sample --loans 2000 --seed 42 --dirty

# --- Apache Spark (issue: the same models on a scale-out engine; README "Running on Spark") ---
# requirements-spark.txt goes into .venv on top of requirements.txt, once per version of the
# file (its own stamp); pip runs only when a pinned version is missing. Spark keeps its catalog
# and tables under LOANS_SPARK_DIR (default target/spark).
SPARK_STAMP := $(VENV)/.spark-installed-$(shell sha1sum requirements-spark.txt | cut -c1-12)
export LOANS_SPARK_DIR ?= target/spark

$(SPARK_STAMP): requirements-spark.txt $(STAMP)
	@$(BIN)/python -c "import importlib.metadata as m, re, sys; \
	pins = [l.split('#')[0].strip() for l in open('requirements-spark.txt')]; \
	pins = [re.match(r'([A-Za-z0-9_.-]+)(\[.*\])?==(.+)', p).group(1, 3) for p in pins if p]; \
	sys.exit(any(m.version(n) != v for n, v in pins))" 2>/dev/null \
	|| $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-spark.txt
	@rm -f $(VENV)/.spark-installed-* && touch $@

spark-venv: venv $(SPARK_STAMP)

JAVA_MISSING := $(shell command -v java >/dev/null 2>&1 || echo yes)

build-spark: spark-venv  ## build the bundled sample (or RAW_DIR=) on Spark, session method; tables in $(LOANS_SPARK_DIR)
	@test -z "$(JAVA_MISSING)" || { echo "build-spark: no Java runtime: install one (Debian: apt-get install -y --no-install-recommends openjdk-17-jre-headless)"; exit 1; }
	$(DBT) build --target spark $(DBT_VARS_ARG)

# Both engines on the sample and on one generated dirty raw_dir, every mart compared. Without
# Java it is skipped with one line, except in CI (CI=true), where that is a failure.
test-spark:  ## build on DuckDB and Spark, compare every mart (skipped without Java, outside CI)
	@if [ -n "$(JAVA_MISSING)" ]; then \
	    if [ "$$CI" = "true" ]; then echo "test-spark: FAILED: no Java runtime in CI (.ci/run installs openjdk-17-jre-headless)"; exit 1; fi; \
	    echo "test-spark: SKIPPED: no Java runtime (apt-get install openjdk-17-jre-headless to run the Spark leg)"; \
	else $(MAKE) --no-print-directory spark-leg; fi

spark-leg: spark-venv
	$(BIN)/python -m scripts.spark_leg


# One size (BENCHMARK_LOANS) per run: full build (wall, peak RSS, per layer, credit-loss share),
# the hand-written lower bound and GX; benchmarks/results/cost_curve.md gathers every size run.
# BENCHMARK_ARGS: its options (python -m scripts.benchmark --help); by default the monthly run too
# and three alternate runs of the build and the lower bound (their median ratio), e.g.
# BENCHMARK_ARGS='--skip-validate' for one quick run. The curve's sizes take BENCHMARK_CURVE_ARGS.
# BENCHMARK_ENGINE=spark builds the same feeds on Spark (needs Java and `make spark-venv`; no
# lower bound, no GX); benchmarks/results/engines.md sets each size's two engines side by side.
BENCHMARK_LOANS ?= 1000000
BENCHMARK_ENGINE ?= duckdb
BENCHMARK_ARGS ?= --monthly --repeat 3
BENCHMARK_CURVE_ARGS ?=
benchmark: venv  ## time a full build (x3), a hand-written lower bound (x3), a monthly run and GX on generated data (BENCHMARK_LOANS=1000000, BENCHMARK_ENGINE=duckdb|spark); report in benchmarks/results/
	$(BIN)/python -m scripts.benchmark --engine $(BENCHMARK_ENGINE) --loans $(BENCHMARK_LOANS) $(BENCHMARK_ARGS)

benchmark-spark: spark-venv  ## make benchmark on Spark (session method): BENCHMARK_LOANS loans, report beside DuckDB's in benchmarks/results/engines.md
	$(MAKE) --no-print-directory benchmark BENCHMARK_ENGINE=spark

benchmark-curve: venv  ## the cost curve: make benchmark at 100k, 1M and 3M loans
	for loans in 100000 1000000 3000000; do \
		$(BIN)/python -m scripts.benchmark --loans $$loans $(BENCHMARK_CURVE_ARGS) || exit 1; \
	done

lock: venv  ## re-resolve requirements.in into the exact pins of requirements.txt
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Exact pins for every package in .venv (generated by \`make lock\` from requirements.in"; \
	  echo "# on Python 3.11; do not edit by hand)."; \
	  .venv-lock/bin/pip freeze --exclude-editable; } > requirements.txt
	rm -rf .venv-lock

clean:  ## remove build outputs (keeps .venv)
	rm -rf target logs warehouse/*.duckdb warehouse/*.wal
