"""Choosing the authorities a comparison shows: one by one, by name or code, or by group (an
authority and its statistical neighbours, a region, those judged Inadequate in a year)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models.functions import ExtractYear

from authorities.models import Authority, Grade, Inspection, Region, StatisticalNeighbour
from authorities.toolkit.gss import CODE_IN_BRACKETS

from .inputs import INADEQUATE, NEIGHBOURS, REGION, parse_group
from .judgements import judgement_date_expression

MAX_AUTHORITIES = 12


@dataclass
class Group:
    """A named set of authorities chosen at once, kept in the URL as ``group=kind:value``."""

    key: str
    label: str
    codes: list[str] = field(default_factory=list)
    problem: str = ""


@dataclass
class LeftOut:
    code: str
    name: str
    reason: str


@dataclass
class Selection:
    """The authorities a comparison shows, in the order chosen, and what was left out and why."""

    authorities: list[Authority]
    capped: list[Authority]
    groups: list[Group]
    unknown: list[str]

    @property
    def codes(self) -> list[str]:
        return [authority.gss_code for authority in self.authorities]


def newest_neighbours(codes: Sequence[str]) -> dict[str, list[str]]:
    """Each authority's neighbours in its newest model, closest first. One query."""
    if not codes:
        return {}
    rows = (
        StatisticalNeighbour.objects.filter(authority__gss_code__in=list(codes))
        .order_by("authority__gss_code", "-model_year", "rank")
        .values_list("authority__gss_code", "model_year", "neighbour__gss_code")
    )
    newest: dict[str, int] = {}
    found: dict[str, list[str]] = defaultdict(list)
    for code, year, neighbour in rows:
        newest.setdefault(code, year)
        if year == newest[code]:
            found[code].append(neighbour)
    return dict(found)


def _inadequate_by_year(years: Sequence[int]) -> dict[int, list[str]]:
    """Authorities judged Inadequate in each year, by the judgement's date. One query."""
    if not years:
        return {}
    rows = (
        Inspection.objects.filter(overall_grade=Grade.INADEQUATE)
        .annotate(judged=judgement_date_expression())
        .filter(judged__year__in=list(years))
        .order_by("authority__name")
        .values_list("judged", "authority__gss_code")
    )
    found: dict[int, list[str]] = defaultdict(list)
    for judged, code in rows:
        if code not in found[judged.year]:
            found[judged.year].append(code)
    return dict(found)


def dedupe(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def select_authorities(
    codes: Sequence[str], groups: Sequence[str], *, limit: int = MAX_AUTHORITIES
) -> Selection:
    """Authorities named one by one, then each group's, without repeats, capped at ``limit``.

    At most four queries: neighbours, regions and Inadequate judgements (only for the kinds of
    group asked for), and the authorities themselves.
    """
    parsed = [(text, parse_group(text)) for text in groups]
    wanted = defaultdict(list)
    for _, key in parsed:
        if key:
            wanted[key[0]].append(key[1])

    neighbours = newest_neighbours(wanted[NEIGHBOURS])
    regions: dict[str, tuple[str, list[str]]] = {}
    if wanted[REGION]:
        rows = (
            Authority.objects.active()
            .filter(region__code__in=wanted[REGION])
            .order_by("name")
            .values_list("region__code", "region__name", "gss_code")
        )
        for region_code, region_name, code in rows:
            regions.setdefault(region_code, (region_name, []))[1].append(code)
    inadequate = _inadequate_by_year([int(year) for year in wanted[INADEQUATE]])

    group_codes: list[list[str]] = []
    for _, key in parsed:
        if key is None:
            group_codes.append([])
        elif key[0] == NEIGHBOURS:
            group_codes.append([key[1], *neighbours.get(key[1], [])])
        elif key[0] == REGION:
            group_codes.append(regions.get(key[1], ("", []))[1])
        else:
            group_codes.append(inadequate.get(int(key[1]), []))

    explicit = dedupe(code.strip().upper() for code in codes if code.strip())
    everything = dedupe([*explicit, *(code for found in group_codes for code in found)])
    by_code = {
        authority.gss_code: authority
        for authority in Authority.objects.filter(gss_code__in=everything).select_related("region")
    }

    built = []
    for (text, key), found in zip(parsed, group_codes, strict=True):
        if key is None:
            built.append(Group(text, text, [], "This is not a group of authorities we know"))
            continue
        kind, value = key
        group_key = f"{kind}:{value}"
        if kind == NEIGHBOURS:
            subject = by_code.get(value)
            if subject is None:
                built.append(Group(group_key, value, [], f"No authority has the code {value}"))
                continue
            label = f"{subject.name} and its statistical neighbours"
            problem = (
                "" if len(found) > 1 else f"No statistical neighbours are recorded for {subject}"
            )
        elif kind == REGION:
            region_name = regions.get(value, (value, []))[0]
            label = f"Authorities in {region_name}"
            problem = "" if found else f"No authorities are recorded in the region {value}"
        else:
            label = f"Authorities judged Inadequate in {value}"
            problem = "" if found else f"No Inadequate judgement is recorded in {value}"
        built.append(Group(group_key, label, [c for c in found if c in by_code], problem))

    unknown = [code for code in explicit if code not in by_code]
    ordered = [by_code[code] for code in everything if code in by_code]
    return Selection(
        authorities=ordered[:limit], capped=ordered[limit:], groups=built, unknown=unknown
    )


def match_authorities(text: str, *, limit: int = 20) -> list[Authority]:
    """Authorities a person meant by a name or code: an exact match wins, else every match.

    Accepts what the page's suggestion list offers, "Wakefield (E08000036)". One query.
    """
    text = text.strip()
    if not text:
        return []
    bracketed = CODE_IN_BRACKETS.search(text)
    if bracketed:
        return list(Authority.objects.filter(gss_code=bracketed.group(1).upper()))
    found = list(Authority.objects.search(text).order_by("name")[:limit])
    lowered = text.lower()
    exact = [
        a
        for a in found
        if a.name.lower() == lowered or a.gss_code.lower() == lowered or a.dfe_code == text
    ]
    return exact or found


@dataclass
class ChoiceLists:
    """What the compare form offers: every authority, region and year with an Inadequate
    judgement. Three queries."""

    authorities: list[tuple[str, str]]
    regions: list[tuple[str, str]]
    inadequate_years: list[int]


def choice_lists() -> ChoiceLists:
    authorities = list(Authority.objects.order_by("name").values_list("gss_code", "name"))
    regions = list(Region.objects.order_by("name").values_list("code", "name"))
    years = (
        Inspection.objects.filter(overall_grade=Grade.INADEQUATE)
        .annotate(year=ExtractYear(judgement_date_expression()))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return ChoiceLists(authorities, regions, [int(year) for year in years])
