"""The geography of EES files: the areas each row is about (England, a region, or one or more
authorities, a joint return stored for each), the authorities to create or update from every file
read, and writing regions and authorities.

Local authority rows are filed under the authority's current GSS code
(``ees_mapping.CODE_CHANGES``). Authorities and regions are created or updated from the latest
period a file gives for them; ``ees_mapping.REORGANISATIONS`` sets ``active_to``, ``successor`` and
the successors' ``active_from`` for authorities the files mention.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authorities.models import Authority, Region
from authorities.toolkit.gss import ENGLAND_CODE, is_authority_code, is_dfe_code, is_gss_code
from authorities.toolkit.importing import RowError
from indicators.models import AreaLevel

from . import ees_mapping as mapping

if TYPE_CHECKING:
    from .ees_read import ParsedFile, Time

BATCH = 1000


@dataclass(frozen=True)
class Area:
    level: str
    code: str
    section: str = ""  # the provenance note of a joint return


@dataclass
class Place:
    """What a row says about an authority, and when."""

    gss_code: str
    dfe_code: str
    name: str
    region: str  # an English region (E12) code, or "" when the row gives none
    when: tuple[datetime.date, int, int]  # period end, file index, row
    file: str
    row: int


def text_of(fields: list[str], position: dict[str, int], name: str) -> str:
    """A row's cell in the named column, stripped; "" when the file has no such column."""
    index = position.get(name)
    return fields[index].strip() if index is not None else ""


class AreaReader:
    """Reads the areas of one file's rows, and counts what it did for the file's report."""

    def __init__(
        self, parsed: ParsedFile, position: dict[str, int], year_end: tuple[int, int]
    ) -> None:
        self.parsed = parsed
        self.position = position
        self.year_end = year_end
        self.code_changes: Counter[str] = Counter()
        self.joint: dict[str, int] = defaultdict(int)
        self.skipped_levels: Counter[str] = Counter()
        self.missing_reported: set[str] = set()

    def get(self, fields: list[str], name: str) -> str:
        return text_of(fields, self.position, name)

    def _missing(self, row: int, column: str, why: str) -> None:
        if column not in self.missing_reported:
            self.missing_reported.add(column)
            self.parsed.error(row, column, f"the file has no {column} column, which {why} need")

    def areas(self, row: int, fields: list[str], time: Time | None) -> list[Area] | None:
        parsed = self.parsed
        level_text = self.get(fields, "geographic_level")
        if level_text in mapping.SKIPPED_GEOGRAPHIC_LEVELS:
            self.skipped_levels[level_text] += 1
            return None
        level = mapping.GEOGRAPHIC_LEVELS.get(level_text)
        if level is None:
            known = ", ".join(mapping.GEOGRAPHIC_LEVELS)
            parsed.error(
                row, "geographic_level", f"unknown geographic level {level_text!r} ({known})"
            )
            return []
        country = self.get(fields, "country_code")
        if not is_gss_code(country):
            parsed.error(row, "country_code", f"malformed GSS code {country!r}")
        elif country != ENGLAND_CODE:
            parsed.error(
                row,
                "country_code",
                f"unknown country code {country!r}: only England ({ENGLAND_CODE}) is supported",
            )
        if level == AreaLevel.NATIONAL:
            return [Area(level, ENGLAND_CODE)]
        region = self._region(row, fields, required=level == AreaLevel.REGIONAL)
        if level == AreaLevel.REGIONAL:
            return [Area(level, region)] if region else []
        return self._authorities(row, fields, time, region)

    def _region(self, row: int, fields: list[str], *, required: bool) -> str:
        parsed = self.parsed
        if "region_code" not in self.position:
            if required:
                self._missing(row, "region_code", "regional rows")
            return ""
        code = self.get(fields, "region_code")
        name = self.get(fields, "region_name")
        if not code:
            if required:
                parsed.error(row, "region_code", "a regional row needs a region code")
            return ""
        if not is_gss_code(code):
            parsed.error(row, "region_code", f"malformed GSS code {code!r}")
            return ""
        if code not in mapping.ENGLISH_REGIONS and code not in mapping.SUB_REGIONS:
            parsed.error(
                row,
                "region_code",
                f"unknown region code {code!r} (regions are E12000001 to E12000009; "
                "E13000001 and E13000002 are Inner and Outer London)",
            )
            return ""
        if required and not name:
            parsed.error(row, "region_name", "a regional row needs a region name")
        if code in mapping.ENGLISH_REGIONS and name:
            parsed.region_names[code] = name
        parsed.regions.add(mapping.english_region(code))
        return code

    def _authorities(
        self, row: int, fields: list[str], time: Time | None, region: str
    ) -> list[Area]:
        parsed = self.parsed
        for column in mapping.AUTHORITY_COLUMNS:
            if column not in self.position:
                self._missing(row, column, "local authority rows")
        if any(column not in self.position for column in mapping.AUTHORITY_COLUMNS):
            return []
        raw_codes = self.get(fields, "new_la_code")
        raw_dfe = self.get(fields, "old_la_code")
        raw_names = self.get(fields, "la_name")
        codes = [part.strip() for part in raw_codes.split(mapping.JOINT_SEPARATOR)]
        joint = len(codes) > 1
        dfe_codes = [part.strip() for part in raw_dfe.split(mapping.JOINT_SEPARATOR)]
        names = (
            [part.strip() for part in raw_names.split(mapping.JOINT_SEPARATOR)]
            if joint
            else [raw_names]
        )
        ok = True
        for code in codes:
            if is_authority_code(code):
                continue
            ok = False
            if is_gss_code(code):
                message = (
                    f"{code!r} is not the code of an authority that runs children's services "
                    "(E06, E08, E09 or E10)"
                )
            else:
                message = f"malformed GSS code {code!r}"
            parsed.error(row, "new_la_code", message)
        if raw_dfe and any(not is_dfe_code(code) for code in dfe_codes):
            ok = False
            parsed.error(row, "old_la_code", f"malformed DfE code {raw_dfe!r} (3 digits)")
        if not raw_names or any(not name for name in names):
            ok = False
            parsed.error(row, "la_name", "a local authority row needs the authority's name")
        if (
            joint
            and ok
            and not (len(codes) == len(names) and (not raw_dfe or len(dfe_codes) == len(codes)))
        ):
            ok = False
            parsed.error(
                row,
                "new_la_code",
                "a joint return must name the same number of authorities in new_la_code, "
                "old_la_code and la_name",
            )
        if not ok:
            return []
        section = ""
        if joint:
            together = " and ".join(names)
            section = (
                f"Joint return of {together} ({raw_dfe}): one figure for the authorities together"
            )[:200]
            self.joint[raw_names] += 1
        when_end = time.resolve(self.year_end).end if time else datetime.date.min
        english = mapping.english_region(region) if region else ""
        areas = []
        for index, published in enumerate(codes):
            code = mapping.current_gss_code(published)
            if code != published:
                self.code_changes[f"{published} -> {code}"] += 1
            dfe = dfe_codes[index] if raw_dfe else ""
            parsed.places.append(
                Place(
                    gss_code=code,
                    dfe_code=dfe,
                    name=names[index],
                    region=english,
                    when=(when_end, parsed.index, row),
                    file=parsed.name,
                    row=row,
                )
            )
            areas.append(Area(AreaLevel.AUTHORITY, code, section))
        return areas

    # -- report --


# --- authorities --------------------------------------------------------------------------------


@dataclass
class AuthorityPlan:
    places: dict[str, Place]  # gss -> latest place
    yielding: set[str]  # existing gss codes whose DfE code passes to another authority


def plan_authorities(parsed_files: Sequence[ParsedFile]) -> tuple[AuthorityPlan, list[RowError]]:
    places: dict[str, Place] = {}
    for parsed in parsed_files:
        for place in parsed.places:
            known = places.get(place.gss_code)
            if known is None or place.when >= known.when:
                if known is not None and not place.dfe_code:
                    place.dfe_code = known.dfe_code
                places[place.gss_code] = place
            elif not known.dfe_code and place.dfe_code:
                known.dfe_code = place.dfe_code
    errors: list[RowError] = []
    by_dfe: dict[str, Place] = {}
    for place in places.values():
        if not place.dfe_code:
            continue
        other = by_dfe.get(place.dfe_code)
        if other is not None:
            errors.append(
                RowError(
                    place.file,
                    place.row,
                    "old_la_code",
                    f"DfE code {place.dfe_code} is given to {place.gss_code} ({place.name}) and "
                    f"to {other.gss_code} ({other.name}) in {other.file} row {other.row}; if one "
                    "replaced the other, add it to CODE_CHANGES in "
                    "indicators/official/ees_mapping.py",
                )
            )
            continue
        by_dfe[place.dfe_code] = place
    yielding: set[str] = set()
    for gss_code, dfe_code, name in Authority.objects.exclude(dfe_code="").values_list(
        "gss_code", "dfe_code", "name"
    ):
        claimant = by_dfe.get(dfe_code)
        if claimant is None or claimant.gss_code == gss_code:
            continue
        holder = places.get(gss_code)
        if holder is not None and holder.dfe_code and holder.dfe_code != dfe_code:
            yielding.add(gss_code)  # it takes another code in the same import
        elif mapping.current_gss_code(gss_code) == claimant.gss_code:
            yielding.add(gss_code)  # an old code of the same authority
        else:
            errors.append(
                RowError(
                    claimant.file,
                    claimant.row,
                    "old_la_code",
                    f"DfE code {dfe_code} belongs to {name} ({gss_code}) in the database, not to "
                    f"{claimant.gss_code} ({claimant.name})",
                )
            )
    return AuthorityPlan(places, yielding), errors


# --- writing ------------------------------------------------------------------------------------


def write_regions(parsed_files: Sequence[ParsedFile]) -> tuple[dict[str, int], int, int]:
    """Create the English regions the files refer to; a name a file gives wins. Returns the id of
    every region by code, and how many were created and updated."""
    codes: set[str] = set()
    given: dict[str, str] = {}
    for parsed in parsed_files:
        codes |= parsed.regions
        given.update(parsed.region_names)
    existing = {region.code: region for region in Region.objects.all()}
    new, changed = [], []
    for code in sorted(codes):
        region = existing.get(code)
        if region is None:
            new.append(Region(code=code, name=given.get(code, mapping.ENGLISH_REGIONS[code])))
        elif code in given and region.name != given[code]:
            region.name = given[code]
            changed.append(region)
    Region.objects.bulk_create(new, batch_size=BATCH)
    Region.objects.bulk_update(changed, ["name"], batch_size=BATCH)
    return dict(Region.objects.values_list("code", "id")), len(new), len(changed)


def write_authorities(plan: AuthorityPlan, region_ids: dict[str, int]) -> tuple[int, int]:
    """Create and update the authorities the files give, free and move DfE codes, and record the
    reorganisations the files mention. Returns how many authorities were created and updated."""
    existing = {authority.gss_code: authority for authority in Authority.objects.all()}
    touched: set[str] = set()
    # Free DfE codes first, so no statement ever holds one code twice.
    freeing = []
    for gss_code, authority in existing.items():
        place = plan.places.get(gss_code)
        final = place.dfe_code if place and place.dfe_code else authority.dfe_code
        if gss_code in plan.yielding and not (place and place.dfe_code):
            final = ""
        if authority.dfe_code and authority.dfe_code != final:
            authority.dfe_code = ""
            freeing.append(authority)
            touched.add(gss_code)
    Authority.objects.bulk_update(freeing, ["dfe_code"], batch_size=BATCH)
    new: list[Authority] = []
    changed: list[Authority] = []
    for gss_code, place in plan.places.items():
        region_id = region_ids.get(place.region) if place.region else None
        found = existing.get(gss_code)
        if found is None:
            new.append(
                Authority(
                    gss_code=gss_code,
                    dfe_code=place.dfe_code,
                    name=place.name,
                    region_id=region_id,
                )
            )
            continue
        authority = found
        before = (authority.dfe_code, authority.name, authority.region_id)
        if place.dfe_code:
            authority.dfe_code = place.dfe_code
        authority.name = place.name
        if region_id is not None:
            authority.region_id = region_id
        if (authority.dfe_code, authority.name, authority.region_id) != before:
            changed.append(authority)
            touched.add(gss_code)
    Authority.objects.bulk_create(new, batch_size=BATCH)
    Authority.objects.bulk_update(changed, ["dfe_code", "name", "region"], batch_size=BATCH)
    created = {authority.gss_code for authority in new}
    # Reorganisations the files mention.
    met = set(plan.places)
    by_gss = {authority.gss_code: authority for authority in Authority.objects.all()}
    reorganised: dict[str, Authority] = {}
    for change in mapping.REORGANISATIONS:
        if change.predecessor not in met and not met & set(change.successors):
            continue
        predecessor = by_gss.get(change.predecessor)
        successor = by_gss.get(change.successors[0])
        if predecessor is not None:
            if predecessor.active_to != change.last_day:
                predecessor.active_to = change.last_day
                reorganised[predecessor.gss_code] = predecessor
            if successor is not None and predecessor.successor_id != successor.pk:
                predecessor.successor = successor
                reorganised[predecessor.gss_code] = predecessor
        for code in change.successors:
            later = by_gss.get(code)
            if later is not None and later.active_from != change.date:
                later.active_from = change.date
                reorganised[later.gss_code] = later
    Authority.objects.bulk_update(
        list(reorganised.values()), ["active_to", "successor", "active_from"], batch_size=BATCH
    )
    touched |= set(reorganised)
    return len(new), len(touched - created)
