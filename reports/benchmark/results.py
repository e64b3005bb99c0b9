"""The benchmark's results: a table to read, and the same figures as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from .pages import Measurement


def table(measurements: list[Measurement]) -> str:
    """One row a page: its median and 95th percentile with the page cache empty, its SQL replayed
    raw and the ratio of the two (the target is 3x at most), the median with the cache warm, its
    queries, and its size as sent and gzipped."""
    width = max([28, *(len(m.name) for m in measurements)])
    header = (
        f"{'page':{width}} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'SQL ms':>8} "
        f"{'ratio':>6} {'cached ms':>10} {'queries':>8} {'KB':>7} {'gzip KB':>8}"
    )
    lines = [header, "-" * len(header)]
    for m in measurements:
        lines.append(
            f"{m.name:{width}} {m.status:>6} {m.median_ms:>10.1f} {m.p95_ms:>8.1f} "
            f"{_maybe(m.sql_ms, 8, 2)} {_maybe(m.ratio, 6, 1)} {_maybe(m.cached_median_ms, 10, 1)} "
            f"{m.queries:>8} {m.bytes / 1024:>7.1f} {m.gzip_bytes / 1024:>8.1f}"
        )
    return "\n".join(lines)


def _maybe(value: float | None, width: int, places: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.{places}f}"


def write_json(path: Path, **sections: object) -> None:
    def plain(value: object) -> object:
        if isinstance(value, list):
            return [plain(v) for v in value]
        if hasattr(value, "__dataclass_fields__"):
            return asdict(value)  # type: ignore[call-overload]
        return value

    path.write_text(json.dumps({k: plain(v) for k, v in sections.items()}, indent=2))
