"""The workbook's file, before any cell is parsed: the limits a workbook must keep within, the
zip container checked against them (size, members, compression ratio), the paths of its
sheets, and the cells calamine would read as blanks (spreadsheet errors, formulas saved
without a value), found by scanning the sheet's XML. The file is never written anywhere."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from posixpath import join, normpath
from xml.etree import ElementTree  # expat (2.4+) refuses entity-expansion bombs

from indicators.annex_a import values as v

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What the reader accepts. A large county's twelve months (about 100,000 rows) sits well
    inside every limit."""

    max_file_bytes: int = 60 * MB
    max_uncompressed_bytes: int = 500 * MB
    max_compression_ratio: int = 250  # a zip member inflating more than this is a zip bomb
    max_zip_members: int = 1000
    max_rows_per_list: int = 250_000
    max_rows_total: int = 600_000
    max_columns: int = 200

    def described(self, name: str) -> str:
        value = getattr(self, name)
        if name.endswith("_bytes"):
            return f"{value / MB:,.0f} MB"
        return f"{value:,}"


DEFAULT_LIMITS = Limits()


class UnreadableWorkbook(ValueError):
    """The file cannot be read as an Annex A workbook. The message says why, in plain words,
    and never quotes the file's contents."""


class WorkbookTooLarge(UnreadableWorkbook):
    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit


# --- the zip container -------------------------------------------------------------------------


def _too_large(limits: Limits, name: str, what: str) -> WorkbookTooLarge:
    return WorkbookTooLarge(
        name,
        f"The workbook is too large to read: {what}. The limit ({name.replace('_', ' ')}) is "
        f"{limits.described(name)}. Split the workbook or remove unused sheets and try again.",
    )


def _open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    if len(data) > limits.max_file_bytes:
        raise _too_large(limits, "max_file_bytes", f"the file is {len(data) / MB:,.1f} MB")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableWorkbook(
            "This is not an .xlsx workbook: it is an older Excel (.xls) file or a "
            "password-protected one. Save it as an Excel Workbook (.xlsx), without a password, "
            "and upload that."
        )
    if not data.startswith(b"PK"):
        raise UnreadableWorkbook(
            "This file is not an Excel workbook (.xlsx). Export the Annex A lists from your case "
            "management system as .xlsx and upload that."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableWorkbook(
            "This file could not be opened as an Excel workbook (.xlsx): it looks damaged or "
            "incomplete. Save it again from Excel and upload the new copy."
        ) from exc
    if len(members) > limits.max_zip_members:
        raise _too_large(limits, "max_zip_members", f"it holds {len(members):,} parts")
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed_bytes:
        raise _too_large(
            limits, "max_uncompressed_bytes", f"it unpacks to {total / MB:,.0f} MB of data"
        )
    for member in members:
        if member.file_size > MB and member.file_size > limits.max_compression_ratio * max(
            member.compress_size, 1
        ):
            raise _too_large(
                limits,
                "max_compression_ratio",
                "one of its parts unpacks to far more than a spreadsheet would",
            )
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise UnreadableWorkbook(
            "This file is a zip archive but not an Excel workbook (.xlsx): it has no workbook "
            "inside. Upload the Annex A workbook itself."
        )
    return archive


def _read_member(archive: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    """A member's bytes. zipfile stops at the size the archive declares and checks the CRC, so
    a member that lies about its size is refused instead of inflating without bound."""
    try:
        with archive.open(name) as handle:
            return handle.read(limits.max_uncompressed_bytes + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableWorkbook(
            "Part of this workbook is damaged and could not be unpacked. Save it again from "
            "Excel and upload the new copy."
        ) from exc


def _verify_members(archive: zipfile.ZipFile, skip: set[str], limits: Limits) -> None:
    """Unpack every member once, in chunks, so a damaged or dishonest one is caught before the
    spreadsheet library (which does its own unpacking) sees the file."""
    for member in archive.infolist():
        if member.filename in skip or member.is_dir():
            continue
        try:
            with archive.open(member) as handle:
                while handle.read(4 * MB):
                    pass
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise UnreadableWorkbook(
                "Part of this workbook is damaged and could not be unpacked. Save it again "
                "from Excel and upload the new copy."
            ) from exc


_DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheet_paths(archive: zipfile.ZipFile, limits: Limits) -> dict[str, str]:
    """Sheet name -> path of its XML inside the zip, in workbook order."""
    try:
        workbook = ElementTree.fromstring(_read_member(archive, "xl/workbook.xml", limits))
        rels_xml = _read_member(archive, "xl/_rels/workbook.xml.rels", limits)
        rels = ElementTree.fromstring(rels_xml)
    except (KeyError, ElementTree.ParseError) as exc:
        raise UnreadableWorkbook(
            "This workbook's list of sheets could not be read: the file looks damaged. Save it "
            "again from Excel and upload the new copy."
        ) from exc
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in rels.iter()
        if rel.tag.endswith("Relationship")
    }
    paths: dict[str, str] = {}
    for sheet in workbook.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        target = targets.get(sheet.get(f"{{{_DOC_REL_NS}}}id"), "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        paths[sheet.get("name", "")] = path
    return paths


# --- error cells and formulas without a saved value --------------------------------------------

_MARK = re.compile(rb't="e"|<(?:[A-Za-z]\w*:)?f[\s>/]')
_CLOSE = re.compile(rb"</(?:[A-Za-z]\w*:)?c>")
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_VALUE = re.compile(rb"<(?:[A-Za-z]\w*:)?v>")
_NON_EMPTY_VALUE = re.compile(rb"<(?:[A-Za-z]\w*:)?v>[^<]")


_LOOK_BACK = 2048


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


def scan_marked_cells(xml: bytes) -> dict[tuple[int, int], v.Marker]:
    """(row, column), both from 0, of every error cell and every formula cell saved without a
    value. Only the cells holding formulas or errors are looked at, so this costs nothing for a
    sheet that has none."""
    found: dict[tuple[int, int], v.Marker] = {}
    done_to = -1
    for mark in _MARK.finditer(xml):
        if mark.start() < done_to:
            continue
        # The cell's opening tag sits just before the mark; looking back a short way keeps this
        # linear in the sheet's size.
        window = max(0, mark.start() - _LOOK_BACK)
        start = max(
            xml.rfind(b"<c ", window, mark.start()), xml.rfind(b":c ", window, mark.start())
        )
        if start < 0:
            continue
        head_end = xml.find(b">", start)
        attributes = xml[start:head_end]
        ref = _REF.search(attributes)
        if attributes.endswith(b"/"):
            done_to = head_end
            content = b""
        else:
            close = _CLOSE.search(xml, head_end)
            done_to = close.end() if close else len(xml)
            content = xml[head_end + 1 : close.start() if close else len(xml)]
        if ref is None:
            continue
        cell = (int(ref.group(2)) - 1, _column_index(ref.group(1)))
        if b't="e"' in attributes:
            found[cell] = v.Marker.ERROR
        elif b"<is>" in content:
            continue
        elif not _NON_EMPTY_VALUE.search(content):
            # A formula with text result "" is saved as t="str" and <v></v>: that is a blank.
            if b't="str"' in attributes and _VALUE.search(content):
                continue
            found[cell] = v.Marker.NO_VALUE
    return found


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]*[0-9]*:?([A-Z]*)([0-9]*)"')


def _count_rows(xml: bytes) -> int:
    return xml.count(b"<row ") + xml.count(b"<row>")
