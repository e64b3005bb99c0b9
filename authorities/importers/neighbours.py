"""Import DfE's statistical neighbour model (the wide CSV) into ``StatisticalNeighbour`` rows.

The file has one row per authority (``old_la_code``, the 3-digit DfE code, and ``la_name``) and its
ten neighbours in order (``SN_1`` … ``SN_10``) each with a closeness label (``SN_1P`` …
``SN_10P``, published with trailing spaces: "Close "). Authorities are found by DfE code. The file
gives no GSS codes, so an authority cannot be created from it: a code the database does not know
is an error, unless exactly one authority of that name exists without a DfE code (created by
another importer from a GSS code), which then gets the code. Run ``import_ees`` first.

Re-running replaces the model year's neighbours of the authorities in the file exactly, and
changes nothing when they are already as the file says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from authorities.models import Authority, StatisticalNeighbour
from authorities.toolkit.gss import is_dfe_code
from authorities.toolkit.importing import (
    AuthorityIndex,
    ImportFailed,
    ImportReport,
    RowError,
    normalise_name,
    read_csv,
)

NEIGHBOURS = 10
CODE = "old_la_code"
NAME = "la_name"
DEFAULT_MODEL_YEAR = 2025
CLOSENESS_LENGTH = StatisticalNeighbour._meta.get_field("closeness").max_length or 40


def neighbour_column(rank: int) -> str:
    return f"SN_{rank}"


def closeness_column(rank: int) -> str:
    return f"SN_{rank}P"


REQUIRED = [
    CODE,
    NAME,
    *(
        column
        for rank in range(1, NEIGHBOURS + 1)
        for column in (
            neighbour_column(rank),
            closeness_column(rank),
        )
    ),
]


@dataclass
class ParsedRow:
    row: int
    code: str
    name: str
    neighbours: list[tuple[int, str, str]]  # (rank, DfE code, closeness)


@dataclass
class ParsedNeighbours:
    file: str
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_neighbours(path: Path) -> ParsedNeighbours:
    """Read the wide neighbour file into plain rows and errors; no database access."""
    table = read_csv(Path(path), required=REQUIRED)
    parsed = ParsedNeighbours(table.file)
    seen: dict[str, int] = {}
    for number, values in table.rows:
        code = values[CODE]
        errors: list[RowError] = []
        if not is_dfe_code(code):
            errors.append(RowError(table.file, number, CODE, f"{code!r} is not a 3-digit DfE code"))
        elif code in seen:
            errors.append(RowError(table.file, number, CODE, f"{code} is also on row {seen[code]}"))
        else:
            seen[code] = number
        neighbours: list[tuple[int, str, str]] = []
        for rank in range(1, NEIGHBOURS + 1):
            column = neighbour_column(rank)
            neighbour = values[column]
            if not is_dfe_code(neighbour):
                message = f"{neighbour!r} is not a 3-digit DfE code" if neighbour else "empty"
                errors.append(RowError(table.file, number, column, message))
            elif neighbour == code:
                errors.append(
                    RowError(table.file, number, column, "an authority is not its own neighbour")
                )
            elif any(neighbour == other for _, other, _ in neighbours):
                errors.append(RowError(table.file, number, column, f"{neighbour} appears twice"))
            closeness = " ".join(values[closeness_column(rank)].split())
            if len(closeness) > CLOSENESS_LENGTH:
                message = f"a closeness label longer than {CLOSENESS_LENGTH} characters"
                errors.append(RowError(table.file, number, closeness_column(rank), message))
            neighbours.append((rank, neighbour, closeness))
        if errors:
            parsed.errors.extend(errors)
        else:
            parsed.rows.append(ParsedRow(number, code, values[NAME], neighbours))
    return parsed


def import_neighbours(path: Path, *, model_year: int = DEFAULT_MODEL_YEAR) -> ImportReport:
    """Store the neighbours of every authority in the file for ``model_year``; all or nothing."""
    return write_neighbours(parse_neighbours(path), model_year=model_year)


def write_neighbours(parsed: ParsedNeighbours, *, model_year: int) -> ImportReport:
    if parsed.errors:
        raise ImportFailed(parsed.errors)
    report = ImportReport(file=parsed.file)
    with transaction.atomic():
        index = AuthorityIndex.load()
        names = {row.code: row.name for row in parsed.rows}
        errors: list[RowError] = []
        unknown: set[str] = set()
        coded: list[Authority] = []
        for row in parsed.rows:
            places = [(row.code, CODE)]
            places += [(code, neighbour_column(rank)) for rank, code, _ in row.neighbours]
            for code, column in places:
                if code in index.by_dfe:
                    continue
                authority = _without_code(index, names.get(code, ""))
                if authority is not None:
                    authority.dfe_code = code
                    index.by_dfe[code] = authority
                    coded.append(authority)
                    continue
                unknown.add(code)
                named = f" ({names[code]})" if code in names else ""
                errors.append(
                    RowError(
                        parsed.file,
                        row.row,
                        column,
                        f"no authority has DfE code {code}{named}; this file gives no GSS code to "
                        "create it from: import the EES files first (manage.py import_ees)",
                    )
                )
        if errors:
            summary = RowError(
                parsed.file,
                None,
                None,
                f"{len(unknown)} DfE codes are not in the database: {', '.join(sorted(unknown))}",
            )
            raise ImportFailed([summary, *errors])
        if coded:
            Authority.objects.bulk_update(coded, ["dfe_code"])
            described = ", ".join(f"{a.name} ({a.gss_code}) {a.dfe_code}" for a in coded)
            report.notes.append(f"DfE codes given to {len(coded)} authorities: {described}")
        authorities = {row.code: index.by_dfe[row.code] for row in parsed.rows}
        existing: dict[int, dict[int, StatisticalNeighbour]] = {}
        for stored in StatisticalNeighbour.objects.filter(
            model_year=model_year, authority_id__in=[a.pk for a in authorities.values()]
        ):
            existing.setdefault(stored.authority_id, {})[stored.rank] = stored
        replace: list[int] = []
        to_create: list[StatisticalNeighbour] = []
        for row in parsed.rows:
            authority = authorities[row.code]
            stored_ranks = existing.get(authority.pk, {})
            wanted = [
                StatisticalNeighbour(
                    authority=authority,
                    neighbour=index.by_dfe[code],
                    model_year=model_year,
                    rank=rank,
                    closeness=closeness,
                )
                for rank, code, closeness in row.neighbours
            ]
            same = [
                item.rank in stored_ranks
                and stored_ranks[item.rank].neighbour_id == item.neighbour.pk
                and stored_ranks[item.rank].closeness == item.closeness
                for item in wanted
            ]
            if all(same) and len(stored_ranks) == len(wanted):
                report.unchanged += len(wanted)
                continue
            # Ranks can swap between runs: replace the authority's list as a whole.
            replace.append(authority.pk)
            to_create.extend(wanted)
            for item, unchanged in zip(wanted, same, strict=True):
                if unchanged:
                    report.unchanged += 1
                elif item.rank in stored_ranks:
                    report.updated += 1
                else:
                    report.created += 1
        if replace:
            StatisticalNeighbour.objects.filter(
                model_year=model_year, authority_id__in=replace
            ).delete()
            StatisticalNeighbour.objects.bulk_create(to_create, batch_size=1000)
        mismatched = [
            f"{row.code} {row.name!r} is {authorities[row.code].name!r} in the database"
            for row in parsed.rows
            if normalise_name(row.name) != normalise_name(authorities[row.code].name)
        ]
        if mismatched:
            report.notes.append("names differ: " + "; ".join(mismatched))
    report.notes.insert(
        0, f"model year {model_year}: {len(parsed.rows)} authorities, ten neighbours each"
    )
    return report


def _without_code(index: AuthorityIndex, name: str) -> Authority | None:
    """The one authority of this name that has no DfE code yet, if there is exactly one."""
    if not name:
        return None
    candidates = [a for a in index.named(name) if not a.dfe_code]
    return candidates[0] if len(candidates) == 1 else None
