"""GSS and DfE codes, defined once (authorities.toolkit.gss)."""

import pytest

from authorities.toolkit.gss import (
    CODE_IN_BRACKETS,
    is_authority_code,
    is_dfe_code,
    is_english_code,
    is_gss_code,
)


@pytest.mark.parametrize(
    ("code", "gss", "english", "authority"),
    [
        ("E08000036", True, True, True),  # Wakefield, a metropolitan district
        ("E10000034", True, True, True),  # a county
        ("E12000003", True, True, False),  # a region
        ("E92000001", True, True, False),  # England
        ("W06000015", True, False, False),  # a Welsh authority
        ("K02000001", True, False, False),  # the United Kingdom
        ("E0800036", False, False, False),  # a digit short
        ("E080000366", False, False, False),  # a digit too many
        ("X08000036", False, False, False),
        ("e08000036", False, False, False),
        ("E08000036\n", False, False, False),
        ("E\uff108000036", False, False, False),  # a full-width digit
        ("", False, False, False),
    ],
)
def test_what_a_code_is(code, gss, english, authority):
    assert (is_gss_code(code), is_english_code(code), is_authority_code(code)) == (
        gss,
        english,
        authority,
    )


def test_dfe_codes_are_three_digits():
    assert is_dfe_code("384")
    assert not any(is_dfe_code(code) for code in ("38", "3845", "38a", "", "384\n"))


def test_a_code_in_brackets_ends_a_suggestion():
    assert CODE_IN_BRACKETS.search("Wakefield (e08000036)").group(1) == "e08000036"
    assert CODE_IN_BRACKETS.search("Wakefield (E08000036) and more") is None
