"""Orchestration: generate the requested feeds chunk by chunk and write ``_manifest.json``."""

from __future__ import annotations

import sys

import pyarrow as pa
from tqdm import tqdm

from scripts.generator.config import (
    FAMILY_A_FEEDS,
    GENERATOR,
    PAYMENT_ORPHAN_ID_START,
    PLAN_ORPHAN_ID_START,
    Config,
    n_injections,
)
from scripts.generator.dirty import ChunkEdit, Injected
from scripts.generator.family_a import (
    FamilyAChunk,
    dirty_orders,
    dirty_payments,
    dirty_plan,
    family_a_chunk,
    orders_columns,
    payments_columns,
    plan_columns,
)
from scripts.generator.family_b import (
    assign_customers,
    branch_columns,
    customer_columns,
    dirty_customers,
    dirty_facts,
    fact_chunk,
    fact_columns,
    make_customers,
)
from scripts.generator.writer import FeedWriter, write_manifest


def chunk_bounds(total: int, size: int) -> list[tuple[int, int]]:
    return [(s, min(size, total - s)) for s in range(0, total, size)]


def generate(cfg: Config, progress: bool = True) -> dict[str, object]:
    """Write the requested feeds and ``_manifest.json`` into ``cfg.out``; return the manifest."""
    cfg.out.mkdir(parents=True, exist_ok=True)
    writers = {feed: FeedWriter(cfg.out, feed, cfg.fmt) for feed in cfg.feeds}
    injected: dict[str, list[Injected]] = {feed: [] for feed in cfg.feeds}
    want_a = any(f in writers for f in FAMILY_A_FEEDS)
    want_b_facts = "fact_loans" in writers
    a_chunks = chunk_bounds(cfg.loans, cfg.chunk_size) if want_a else []
    b_chunks = chunk_bounds(cfg.family_b_loans, cfg.chunk_size) if want_b_facts else []
    total_chunks = len(a_chunks) + len(b_chunks)
    bar = tqdm(
        total=total_chunks,
        desc="chunks",
        unit="chunk",
        disable=not progress or max(len(a_chunks), len(b_chunks)) <= 1,
        file=sys.stderr,
    )

    def emit(feed: str, cols: dict[str, pa.Array], edit: ChunkEdit | None) -> None:
        if edit is not None:
            cols, entries = edit.finish(writers[feed].rows)
            injected[feed].extend(entries)
        writers[feed].write(cols)

    # The next id of an orphan row (a foreign key to no order) per Family A child feed.
    orphans = {"plan": PLAN_ORPHAN_ID_START, "payments": PAYMENT_ORPHAN_ID_START}

    def family_a_edit(
        feed: str, a: FamilyAChunk, cols: dict[str, pa.Array], chunk: int
    ) -> ChunkEdit | None:
        if not cfg.dirty:
            return None
        if feed not in orphans:
            return dirty_orders(cfg, a, cols, chunk)
        dirty = dirty_plan if feed == "plan" else dirty_payments
        edit = dirty(cfg, a, cols, chunk, orphans[feed])
        if edit.n:
            orphans[feed] += n_injections(cfg, edit.n)
        return edit

    family_a_columns = {
        "orders": orders_columns,
        "plan": plan_columns,
        "payments": payments_columns,
    }
    try:
        for chunk, (start, n) in enumerate(a_chunks):
            a = family_a_chunk(cfg, chunk, start, n)
            for feed, columns in family_a_columns.items():  # orders, plan, payments
                if feed in writers:
                    cols = columns(a)
                    emit(feed, cols, family_a_edit(feed, a, cols, chunk))
            bar.update(1)

        if "dim_branch" in writers:
            emit("dim_branch", branch_columns(cfg), None)
        if "dim_customer" in writers or want_b_facts:
            customers = make_customers(cfg)
            assignment = assign_customers(cfg)
            if "dim_customer" in writers:
                cols = customer_columns(customers)
                edit = dirty_customers(cfg, cols, assignment) if cfg.dirty else None
                emit("dim_customer", cols, edit)
            for chunk, (start, n) in enumerate(b_chunks):
                f = fact_chunk(cfg, chunk, start, n, customers, assignment)
                cols = fact_columns(f)
                emit("fact_loans", cols, dirty_facts(cfg, f, cols, chunk) if cfg.dirty else None)
                bar.update(1)
    finally:
        bar.close()
        for w in writers.values():
            w.close()

    manifest: dict[str, object] = {
        "generator": GENERATOR,
        "seed": cfg.seed,
        "loans": cfg.loans,
        "family_b_loans": cfg.family_b_loans,
        "end_date": cfg.end_date,
        "dirty": cfg.dirty,
        "format": cfg.fmt,
        "feeds": list(cfg.feeds),
        "chunk_size": cfg.chunk_size,
        "dirty_rate": cfg.dirty_rate if cfg.dirty else 0.0,
        "rows": {feed: writers[feed].rows for feed in cfg.feeds},
        "injected": [e.as_dict() for feed in cfg.feeds for e in injected[feed]],
    }
    write_manifest(cfg.out / "_manifest.json", manifest)
    return manifest
