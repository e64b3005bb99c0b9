"""GSS codes (the Government Statistical Service's area codes) and DfE codes, defined once.

A GSS code is the letter of a country (E England, W Wales, S Scotland, N Northern Ireland, K the
United Kingdom or Great Britain) and eight digits: E08000036 is Wakefield, E12000003 a region,
E92000001 England. The first three characters say what kind of area it is.
"""

from __future__ import annotations

import re

# ASCII digits only: a full-width or Arabic-Indic digit is no part of a code.
GSS_CODE = re.compile(r"[EKNSW]\d{8}", re.ASCII)
# "Wakefield (E08000036)", as the authority suggestions offer it.
CODE_IN_BRACKETS = re.compile(rf"\(({GSS_CODE.pattern})\)\s*$", re.IGNORECASE | re.ASCII)
# The Department for Education's three-digit local authority code ("old_la_code").
DFE_CODE = re.compile(r"\d{3}", re.ASCII)

ENGLAND_CODE, ENGLAND_NAME = "E92000001", "England"
# Children's services are run by upper-tier authorities only: unitary authorities (E06),
# metropolitan districts (E08), London boroughs (E09) and counties (E10).
UNITARY, METROPOLITAN, LONDON_BOROUGH, COUNTY = "E06", "E08", "E09", "E10"
AUTHORITY_PREFIXES = (UNITARY, METROPOLITAN, LONDON_BOROUGH, COUNTY)


def is_gss_code(code: str) -> bool:
    """A well-formed GSS code of any area in the United Kingdom."""
    return GSS_CODE.fullmatch(code) is not None


def is_english_code(code: str) -> bool:
    """A well-formed GSS code of an area in England."""
    return is_gss_code(code) and code.startswith("E")


def is_authority_code(code: str) -> bool:
    """The GSS code of an authority that runs children's services."""
    return is_gss_code(code) and code[:3] in AUTHORITY_PREFIXES


def is_dfe_code(code: str) -> bool:
    return DFE_CODE.fullmatch(code) is not None
