"""Writers: a feed as CSV (RFC-4180) or all-string Parquet, chunk by chunk, and the manifest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from scripts.generator.config import FEED_COLUMNS
from scripts.generator.text import concat_text


def csv_quote(arr: pa.Array) -> pa.Array:
    """RFC-4180 quoting, only for the (rare) cells that need it."""
    needs = pc.match_substring_regex(arr, '[",\r\n]')
    if not pc.any(needs).as_py():
        return arr
    quoted = concat_text('"', pc.replace_substring(arr, '"', '""'), '"')
    return pc.if_else(needs, quoted, arr)


class FeedWriter:
    """Appends chunks of string columns to ``<feed>.csv`` or ``<feed>.parquet``."""

    def __init__(self, out: Path, feed: str, fmt: str) -> None:
        self.feed = feed
        self.columns = FEED_COLUMNS[feed]
        self.path = out / f"{feed}.{fmt}"
        self.rows = 0
        self._csv: BinaryIO | None = None
        self._parquet: pq.ParquetWriter | None = None
        self._schema = pa.schema([(c, pa.string()) for c in self.columns])
        if fmt == "csv":
            self._csv = self.path.open("wb")
            self._csv.write((",".join(self.columns) + "\n").encode())
        else:
            self._parquet = pq.ParquetWriter(self.path, self._schema, compression="zstd")

    def write(self, columns: dict[str, pa.Array]) -> None:
        arrays = [columns[c] for c in self.columns]
        n = len(arrays[0])
        if n == 0:
            return
        if self._csv is not None:
            cells = [csv_quote(a) for a in arrays]
            line = pc.binary_join_element_wise(
                *cells, ",", null_handling="replace", null_replacement=""
            )
            line = pc.binary_join_element_wise(line, "", "\n")
            offsets = np.frombuffer(line.buffers()[1], dtype=np.int32)
            first, last = int(offsets[line.offset]), int(offsets[line.offset + n])
            self._csv.write(memoryview(line.buffers()[2])[first:last])
        elif self._parquet is not None:
            self._parquet.write_table(pa.Table.from_arrays(arrays, schema=self._schema))
        self.rows += n

    def close(self) -> None:
        if self._csv is not None:
            self._csv.close()
        if self._parquet is not None:
            self._parquet.close()


def write_manifest(path: Path, manifest: dict[str, object]) -> None:
    """Pretty JSON with one injected entry per line (compact for large dirty runs)."""
    head = {k: v for k, v in manifest.items() if k != "injected"}
    body = json.dumps(head, indent=2)[:-2]  # drop the closing "\n}"
    entries = manifest["injected"]
    assert isinstance(entries, list)
    lines = ",\n".join("    " + json.dumps(e) for e in entries)
    text = body + ',\n  "injected": [' + ("\n" + lines + "\n  " if lines else "") + "]\n}\n"
    path.write_text(text, encoding="utf-8")
