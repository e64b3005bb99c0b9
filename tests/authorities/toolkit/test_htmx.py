"""The htmx page-or-region helper: a region for htmx, the whole page otherwise, never cached one
for the other, and the clean address pushed into the history after an action."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.test import RequestFactory, override_settings
from django_htmx.middleware import HtmxMiddleware

from authorities.toolkit.htmx import render_page, vary_on_htmx, wants_region

PAGE = (
    "<html><body>{% partialdef results inline %}"
    '<div id="results">{{ count }} found</div>'
    "{% endpartialdef %}</body></html>"
)
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {"page.html": PAGE})]},
    }
]


def request(**headers):
    made = RequestFactory().get("/search/?q=ash", headers=headers)
    HtmxMiddleware(lambda r: HttpResponse())(made)
    return made


@override_settings(TEMPLATES=TEMPLATES)
def test_a_plain_request_gets_the_whole_page_and_nothing_is_pushed():
    response = render_page(request(), "page.html", {"count": 3}, region="results", push="/x/")
    assert response.content.decode() == '<html><body><div id="results">3 found</div></body></html>'
    assert response["Vary"] == "HX-Request"
    assert "HX-Push-Url" not in response


@override_settings(TEMPLATES=TEMPLATES)
def test_htmx_gets_the_region_and_the_address_to_push():
    htmx = request(HX_Request="true")
    assert wants_region(htmx)
    response = render_page(htmx, "page.html", {"count": 3}, region="results", push="/search/")
    assert response.content.decode() == '<div id="results">3 found</div>'
    assert response["Vary"] == "HX-Request"
    assert response["HX-Push-Url"] == "/search/"
    unpushed = render_page(htmx, "page.html", {"count": 3}, region="results")
    assert "HX-Push-Url" not in unpushed


@override_settings(TEMPLATES=TEMPLATES)
def test_htmx_restoring_a_page_from_history_gets_the_whole_page():
    restore = request(HX_Request="true", HX_History_Restore_Request="true")
    assert not wants_region(restore)
    response = render_page(restore, "page.html", {"count": 3}, region="results", push="/x/")
    assert response.content.decode().startswith("<html>")
    assert "HX-Push-Url" not in response


def test_a_redirect_that_depends_on_htmx_varies_on_it():
    response = vary_on_htmx(redirect("/compare/"))
    assert (response.status_code, response["Vary"]) == (302, "HX-Request")
