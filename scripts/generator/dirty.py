"""Dirty-mode bookkeeping: the quirks injected by ``--dirty`` and the manifest entry of each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scripts.generator.config import FEED_COLUMNS, QUARANTINE, FloatArray, IntArray
from scripts.generator.text import str_pick


@dataclass
class Injected:
    """One injected quirk, in manifest form."""

    feed: str
    row_number: int
    key: str
    kind: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {
            "feed": self.feed,
            "row_number": self.row_number,
            "key": self.key,
            "kind": self.kind,
            "reason": self.reason,
        }


class ChunkEdit:
    """Applies dirty-mode edits (cell replacements and extra rows) to one chunk of one feed.

    Rows touched by one quirk are marked as used so that every quirk lands on its own row, and
    the rows copied by duplicates stay clean.
    """

    def __init__(self, feed: str, columns: dict[str, pa.Array]) -> None:
        self.feed = feed
        self.columns = dict(columns)
        self.n = len(columns[FEED_COLUMNS[feed][0]])
        self.used = np.zeros(self.n, dtype=bool)
        self._extra_rows: list[dict[str, pa.Array]] = []
        self._extra_keys: list[FloatArray] = []
        self._n_extra = 0
        self._records: list[tuple[IntArray, str, str]] = []

    def pick(self, rng: np.random.Generator, candidates: IntArray, k: int) -> IntArray:
        """Choose up to ``k`` unused rows among ``candidates`` and mark them used."""
        cand = candidates[~self.used[candidates]]
        k = min(k, cand.size)
        if k == 0:
            return np.empty(0, dtype=np.int64)
        chosen = np.sort(rng.choice(cand, size=k, replace=False)).astype(np.int64)
        self.used[chosen] = True
        return chosen

    def replace(self, column: str, positions: IntArray, values: pa.Array) -> None:
        """Overwrite cells; ``values`` aligned with ascending ``positions``."""
        if positions.size == 0:
            return
        mask = np.zeros(self.n, dtype=bool)
        mask[positions] = True
        self.columns[column] = pc.replace_with_mask(self.columns[column], pa.array(mask), values)

    def take(self, column: str, positions: IntArray) -> pa.Array:
        return self.columns[column].take(pa.array(positions))

    def add_rows(self, rows: dict[str, pa.Array], sort_keys: FloatArray) -> IntArray:
        """Append rows, later placed by ``sort_keys`` (row i of the chunk has key i)."""
        k = len(sort_keys)
        refs = self.n + self._n_extra + np.arange(k, dtype=np.int64)
        if k:
            self._extra_rows.append(rows)
            self._extra_keys.append(np.asarray(sort_keys, dtype=np.float64))
            self._n_extra += k
        return refs

    def record(self, refs: IntArray, kind: str, reason: str) -> None:
        if refs.size:
            self._records.append((refs, kind, reason))

    def finish(self, row_offset: int) -> tuple[dict[str, pa.Array], list[Injected]]:
        """Final column order plus manifest entries with file row numbers."""
        names = FEED_COLUMNS[self.feed]
        if self._n_extra:
            keys = np.concatenate([np.arange(self.n, dtype=np.float64), *self._extra_keys])
            perm = np.argsort(keys, kind="stable")
            take = pa.array(perm)
            cols = {
                c: pa.concat_arrays([self.columns[c], *[r[c] for r in self._extra_rows]]).take(take)
                for c in names
            }
            position = np.empty_like(perm)
            position[perm] = np.arange(perm.size)
        else:
            cols = {c: self.columns[c] for c in names}
            position = np.arange(self.n)
        entries: list[Injected] = []
        for refs, kind, reason in self._records:
            pos = position[refs]
            key_arr = cols[names[0]].take(pa.array(pos))
            if self.feed == "plan" and kind == QUARANTINE:
                key_arr = pc.binary_join_element_wise(
                    key_arr, cols["plan_at"].take(pa.array(pos)), "|"
                )
            for p, key in zip(pos.tolist(), key_arr.to_pylist(), strict=True):
                entries.append(Injected(self.feed, row_offset + p + 1, str(key), kind, reason))
        entries.sort(key=lambda e: e.row_number)
        return cols, entries


def bad_values(rng: np.random.Generator, choices: Sequence[str], k: int) -> pa.Array:
    return str_pick(choices, rng.integers(0, len(choices), k))


def after_keys(rng: np.random.Generator, src: IntArray, n: int, spread: int) -> FloatArray:
    """Sort keys placing new rows after their source row (up to ``spread`` rows later)."""
    later = np.minimum(src + rng.integers(0, spread + 1, src.size), n - 1)
    return later.astype(np.float64) + 0.5
