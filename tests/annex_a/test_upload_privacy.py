"""After an upload, a failed upload and accepting the figures, nothing about a single child or
worker is anywhere the service keeps things: every column of every table, the logs, the
temporary directory. Worker names are shown only on the page answering the upload."""

from __future__ import annotations

import datetime
import logging
import os
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from indicators.annex_a import fictional
from indicators.annex_a.models import AnnexAUpload
from indicators.models import ReturnValue
from indicators.returns import selectors as returns_selectors

pytestmark = pytest.mark.django_db

LATEST = returns_selectors.latest_month(datetime.date.today())
END = returns_selectors.add_months(LATEST, 1) - datetime.timedelta(days=1)
SEED, MONTHS, CONTACTS = 11, 3, 40


def _dates_of_birth() -> set[str]:
    """The fictional children's dates of birth, as a database or log would write them. A date
    of birth on the first of a month is left out: month starts are stored as themselves."""
    simulation = fictional._Simulation(SEED, MONTHS, END, CONTACTS)
    simulation.run()
    return {
        text
        for child in simulation.children
        if child.born.day != 1
        for text in (child.born.isoformat(), f"{child.born:%d/%m/%Y}")
    }


def _database_text() -> str:
    """Every value of every column of every table, as text."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # names from the schema
            found.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(found)


def _temporary_files_since(started: float) -> str:
    found = []
    # The test's own temporary directory (see the test): other processes' files in the
    # machine's /tmp are not this service's.
    for root, _dirs, files in os.walk(tempfile.gettempdir()):
        for name in files:
            path = Path(root, name)
            try:
                if path.stat().st_mtime >= started and path.stat().st_size < 50_000_000:
                    found.append(path.read_bytes().decode("utf-8", "replace"))
            except OSError:
                continue
    return "\n".join(found)


def test_no_child_or_worker_is_kept_anywhere(
    client, users, authority, caplog, tmp_path, monkeypatch, settings
):
    caplog.set_level(logging.DEBUG)
    # Whatever this process writes to a temporary file (Django's uploads, the workbook readers)
    # goes here, where the search below looks.
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    settings.FILE_UPLOAD_TEMP_DIR = str(private_tmp)
    started = time.time() - 1
    workbook = fictional.build(
        seed=SEED, months=MONTHS, end=END, contacts_per_month=CONTACTS, messy=True, damaged=True
    )
    assert workbook.child_ids and workbook.worker_names
    url = reverse("annex_a:upload", args=[authority.gss_code])
    client.force_login(users["data_officer"])

    failed = client.post(url, {"file": SimpleUploadedFile("a.xlsx", workbook.data[:5000])})
    assert failed.status_code == 422
    shown = client.post(url, {"file": SimpleUploadedFile("annex.xlsx", workbook.data)})
    assert shown.status_code == 200
    upload = AnnexAUpload.objects.get()
    client.post(reverse("annex_a:accept", args=[authority.gss_code, upload.pk]))
    assert ReturnValue.objects.filter(annex_a_upload=upload).exists()
    stored_page = client.get(reverse("annex_a:result", args=[authority.gss_code, upload.pk]))

    kept = {
        "the database": _database_text(),
        "the logs": caplog.text,
        "the temporary directory": _temporary_files_since(started),
        "the stored result page": stored_page.content.decode(),
    }
    dates_of_birth = _dates_of_birth()
    assert dates_of_birth
    for where, text in kept.items():
        assert "FICT-" not in text, where
        for child_id in workbook.child_ids:
            assert child_id not in text, where
        for name in workbook.worker_names:
            assert name not in text, where
        for born in dates_of_birth:
            assert born not in text, (where, born)
    # The one place worker names appear: the page answering the upload, for the uploader.
    assert any(name in shown.content.decode() for name in workbook.worker_names)
