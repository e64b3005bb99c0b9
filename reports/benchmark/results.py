"""The benchmark's results: a table to read, and the same figures as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from .pages import Measurement


def table(measurements: list[Measurement]) -> str:
    width = max([28, *(len(m.name) for m in measurements)])
    header = (
        f"{'page':{width}} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>8}"
    )
    lines = [header, "-" * len(header)]
    for m in measurements:
        lines.append(
            f"{m.name:{width}} {m.status:>6} {m.median_ms:>10.1f} {m.p95_ms:>8.1f} "
            f"{m.queries:>8} {m.bytes / 1024:>8.1f}"
        )
    return "\n".join(lines)


def write_json(path: Path, **sections: object) -> None:
    def plain(value: object) -> object:
        if isinstance(value, list):
            return [plain(v) for v in value]
        if hasattr(value, "__dataclass_fields__"):
            return asdict(value)  # type: ignore[call-overload]
        return value

    path.write_text(json.dumps({k: plain(v) for k, v in sections.items()}, indent=2))
