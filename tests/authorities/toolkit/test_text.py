"""Names inside sentences, one rule for pages and forms (authorities.toolkit.text)."""

import pytest

from authorities.toolkit.text import lower_first


@pytest.mark.parametrize(
    ("name", "in_a_sentence"),
    [
        ("Agency social workers (FTE %)", "agency social workers (FTE %)"),
        ("Children looked after", "children looked after"),
        ("FTE social workers", "FTE social workers"),  # an acronym keeps its capitals
        ("Caseload", "caseload"),
        ("", ""),
    ],
)
def test_only_the_first_word_loses_its_capital(name, in_a_sentence):
    assert lower_first(name) == in_a_sentence
