"""Which sources of figures are shown beside which, defined once for every page."""

from __future__ import annotations

from authorities.models import Authority
from indicators.models import Source

# When two sources give a figure for the same period, the more authoritative is shown.
SOURCE_PRIORITY = {
    Source.OFFICIAL: 0,
    Source.MONTHLY_RETURN: 1,
    Source.REPORT: 2,
    Source.DEMO: 3,
}

SOURCE_WORDS = {
    Source.OFFICIAL: "official statistics",
    Source.MONTHLY_RETURN: "monthly return",
    Source.REPORT: "report evidence",
    Source.DEMO: "simulated",
}

# Shown across authorities (comparisons, league tables): published figures only. Report evidence
# is shown as a last resort, never beside published figures; monthly returns are not shown
# across authorities.
PUBLIC_SOURCES = (Source.OFFICIAL, Source.DEMO, Source.REPORT)
# Drawn as series comparable across authorities.
COMPARED_SOURCES = (Source.OFFICIAL, Source.DEMO)

# On an authority's own page, each of its figures is compared like with like: with other areas'
# figures from its own source. Report evidence is one authority's figure from one document;
# nothing comparable is published beside it.
COMPARED_LIKE_WITH_LIKE = frozenset({Source.OFFICIAL, Source.DEMO, Source.MONTHLY_RETURN})


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
