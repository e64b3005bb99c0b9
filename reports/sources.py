"""Which sources of figures are shown beside which, defined once for every page."""

from __future__ import annotations

from authorities.models import Authority
from indicators.models import (
    COMPARED_LIKE_WITH_LIKE,
    COMPARED_SOURCES,
    PUBLIC_SOURCES,
    SOURCE_PRIORITY,
    Source,
)

# Which sources are public, compared and preferred is defined once, beside ``Source``; these are
# the words pages use for them.
__all__ = [
    "COMPARED_LIKE_WITH_LIKE",
    "COMPARED_SOURCES",
    "PUBLIC_SOURCES",
    "SOURCE_PRIORITY",
    "SOURCE_WORDS",
    "comparator_source",
    "source_rank",
]

SOURCE_WORDS = {
    Source.OFFICIAL: "official statistics",
    Source.MONTHLY_RETURN: "monthly return",
    Source.REPORT: "report evidence",
    Source.DEMO: "simulated",
}


def comparator_source(source: str, authority: Authority) -> Source | None:
    """The source an authority's figure from ``source`` is compared against, or None. A
    simulated authority's approved returns are simulated figures too: they are compared with
    the simulated figures of the other authorities, its region and England."""
    if source == Source.MONTHLY_RETURN and authority.is_demo:
        return Source.DEMO
    return Source(source) if source in COMPARED_LIKE_WITH_LIKE else None


def source_rank(source: str) -> int:
    """Where a source stands in ``SOURCE_PRIORITY``, unknown sources last."""
    return SOURCE_PRIORITY.get(Source(source), 9)
