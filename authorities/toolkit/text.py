"""How names are written inside sentences, defined once for pages, charts and forms."""

from __future__ import annotations


def lower_first(label: str) -> str:
    """A sentence-case name inside a sentence: 'Agency social workers (FTE %)' -> 'agency social
    workers (FTE %)'. Acronyms keep their capitals, so plain lower() is never used."""
    first, _, rest = label.partition(" ")
    if first.isupper():
        return label
    return first[:1].lower() + first[1:] + (" " + rest if rest else "")
