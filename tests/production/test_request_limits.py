"""Request bodies are capped (issue 13, item 8): a 300 MB post to the sign-in page was accepted
and written to disk. Now any body over ``REQUEST_BODY_LIMIT`` is refused with a 413 page from its
Content-Length alone, before a byte of it is read; the upload endpoint takes up to
``UPLOAD_REQUEST_BODY_LIMIT``, in memory, and says what its files may be."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse

from tests.indicators.returns.conftest import MONTH
from tests.production.test_error_pages import in_site_layout

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


class Tripwire(io.RawIOBase):
    """A request body that must never be read."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        raise AssertionError("the body of a request over the limit was read")


def post_declaring(client, url: str, length: int, **extra):
    """A POST whose headers say the body is ``length`` bytes long; reading it fails the test."""
    return client.generic(
        "POST",
        url,
        CONTENT_LENGTH=str(length),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        **{"wsgi.input": Tripwire()},
        **extra,
    )


def upload_url(authority) -> str:
    return reverse("returns:upload", args=[authority.gss_code, MONTH])


def test_the_limits_are_what_the_readme_says():
    assert settings.REQUEST_BODY_LIMIT == 2_621_440  # 2.5 MB
    assert settings.UPLOAD_REQUEST_BODY_LIMIT == 10_485_760  # 10 MB
    # Django's own limit on form data matches; an upload up to its limit stays in memory.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.REQUEST_BODY_LIMIT
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.UPLOAD_REQUEST_BODY_LIMIT


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/admin/login/",
        "/accounts/password_reset/",
        "/accounts/logout/",
        "/no-such-page/",
    ],
)
def test_300_mb_is_refused_unread(client, url):
    response = post_declaring(client, url, 300 * MB)
    assert response.status_code == 413
    html = response.content.decode()
    assert in_site_layout(html)
    assert "<title>What you sent is too large \u2013 Trajectory</title>" in html
    assert "A form sent to this service must be smaller than 2.5 MB" in html
    assert "Nothing was saved and nothing has changed." in html
    assert response["Content-Security-Policy"]


def test_a_form_just_over_the_limit_is_refused_and_one_under_it_is_read(client, users):
    assert post_declaring(client, "/accounts/login/", int(2.5 * MB) + 1).status_code == 413
    padding = "x" * (2 * MB)
    response = client.post(
        "/accounts/login/", {"username": "officer", "password": "wrong", "padding": padding}
    )
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


def test_a_signed_in_post_over_the_limit_is_refused(client, authority, users):
    client.force_login(users["data_officer"])
    url = reverse("returns:return", args=[authority.gss_code, MONTH])
    response = post_declaring(client, url, 3 * MB)
    assert response.status_code == 413
    assert "Sign out" in response.content.decode()  # the page knows who is signed in
    assert "no-store" in response["Cache-Control"]  # so it is private, like every such page


def test_the_upload_endpoint_takes_a_larger_body_and_says_what_is_too_large(
    client, authority, users
):
    client.force_login(users["data_officer"])
    # Over the general limit, under the upload one: the form says how large a file may be,
    # and the file never touches the disk.
    with mock.patch.object(TemporaryFileUploadHandler, "new_file") as to_disk:
        response = client.post(
            upload_url(authority), {"file": SimpleUploadedFile("big.csv", b"a," * (2 * MB))}
        )
    to_disk.assert_not_called()
    assert response.status_code == 200
    assert "The file must be smaller than 2 MB" in response.content.decode()

    # Over the upload limit: refused unread, with the same advice.
    response = post_declaring(client, upload_url(authority), 10 * MB + 1)
    assert response.status_code == 413
    html = response.content.decode()
    assert "<title>The file is too large \u2013 Trajectory</title>" in html
    assert "The file must be smaller than 2 MB. Nothing was uploaded" in html


def test_the_upload_limit_is_refused_to_whoever_may_not_upload_too(client, authority, users):
    """A larger body is allowed only where uploads are; the view still decides who may send."""
    client.force_login(users["board_member"])
    response = client.post(
        upload_url(authority), {"file": SimpleUploadedFile("big.csv", b"a," * (2 * MB))}
    )
    assert response.status_code == 403


def test_a_missing_or_false_length_reads_nothing(client):
    """Without a number in Content-Length (a chunked body, for one) Django reads no body at all,
    so there is nothing to refuse: the form is simply empty."""
    for length in ("", "lots", "-5"):
        response = client.generic(
            "POST",
            "/accounts/login/",
            CONTENT_LENGTH=length,
            CONTENT_TYPE="application/x-www-form-urlencoded",
            **{"wsgi.input": Tripwire()},
        )
        assert response.status_code == 200
        assert "Enter your username" in response.content.decode()  # an empty form
