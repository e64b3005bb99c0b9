from django import template
from django.utils.safestring import SafeString, mark_safe

from indicators.models import Indicator
from reports.compare.judgements import grade_words
from reports.formatting import format_change, format_value
from reports.formatting import lower_first as lower_first_word
from reports.navigation import NavItem, menu

register = template.Library()

GRADE_TAG_COLOURS = {
    "outstanding": "govuk-tag--green",
    "good": "govuk-tag--teal",
    "requires_improvement": "govuk-tag--yellow",
    "adequate": "govuk-tag--yellow",
    "inadequate": "govuk-tag--red",
}


@register.filter
def figure(value: float | None, indicator: Indicator) -> str:
    return format_value(value, indicator.unit, indicator.decimals)


@register.simple_tag
def observed(observation) -> str:
    """An observation's figure with its indicator's unit and decimals, or its symbol in words."""
    indicator = observation.indicator
    return format_value(observation.value, indicator.unit, indicator.decimals, observation.symbol)


@register.filter
def lower_first(name: str) -> str:
    """A name inside a sentence, acronyms kept: use instead of |lower on indicator names."""
    return lower_first_word(str(name))


@register.filter
def grade_tag_class(grade: str) -> str:
    return GRADE_TAG_COLOURS.get(grade, "govuk-tag--grey")


@register.filter
def grade_label(grade: str) -> str:
    return grade_words(grade)


@register.filter
def change_words(change: float, indicator: Indicator) -> str:
    return format_change(change, indicator.unit, indicator.decimals)


@register.simple_tag
def chart_query(options, **changes) -> str:
    """The chart's query string with some options changed: links keep the whole view."""
    return options.query(**changes)


RAG_TAG_COLOURS = {
    "green": "govuk-tag--green",
    "amber": "govuk-tag--yellow",
    "red": "govuk-tag--red",
}


@register.filter
def rag_tag_class(rag: str) -> str:
    return RAG_TAG_COLOURS.get(rag, "govuk-tag--grey")


EVIDENCE_UNIT_WORDS = {
    "fte": "FTE",
    "cases_per_worker": "cases per worker",
    "days": "days",
    "weeks": "weeks",
    "months": "months",
    "rate_per_10k": "per 10,000",
    "rate_per_10k_inferred": "per 10,000",
    "sq_km": "km²",
    "days_per_week": "days a week",
    "hours_per_week": "hours a week",
}


@register.filter
def evidence_value(evidence) -> str:
    """A report figure written with its unit as the report gives it."""
    if evidence.value is None:
        return evidence.value_text or "No figure"
    number = f"{evidence.value:,.2f}".rstrip("0").rstrip(".")
    if evidence.unit in ("pct", "percent", "%"):
        return f"{number}%"
    if evidence.unit == "gbp":
        return f"£{number}"
    words = EVIDENCE_UNIT_WORDS.get(evidence.unit, "")
    return f"{number} {words}".strip()


@register.filter
def humanise(code: str) -> str:
    """An identifier such as 'la_childrens_homes_count' as words."""
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


@register.filter
def source_url(pk: int) -> str:
    """The figure's source page. One reverse per process: tables link hundreds of figures."""
    return _source_prefix() + f"{int(pk)}/source/"


def _source_prefix() -> str:
    global _SOURCE_PREFIX
    if _SOURCE_PREFIX is None:
        from django.urls import reverse

        _SOURCE_PREFIX = reverse("reports:observation_source", args=[0]).removesuffix("0/source/")
    return _SOURCE_PREFIX


_SOURCE_PREFIX: str | None = None


@register.simple_tag
def table_body(table) -> str:
    """The rows of a chart's data table (a reports.presenters.Table). Written in Python rather
    than template loops: a ten-year monthly table has more than a thousand cells."""
    from django.utils.html import format_html, format_html_join

    def cell(item) -> str:
        css = (
            "govuk-table__cell govuk-table__cell--numeric" if item.numeric else "govuk-table__cell"
        )
        if item.href_id:
            return format_html(
                '<td class="{}"><a class="govuk-link" href="{}">{}</a></td>',
                css,
                source_url(item.href_id),
                item.text,
            )
        return format_html('<td class="{}">{}</td>', css, item.text)

    return format_html_join(
        "\n",
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{}</th>{}</tr>',
        ((row[0].text, mark_safe("".join(cell(item) for item in row[1:]))) for row in table.rows),
    )


# What json_script escapes: inside <script> these three could end the element or start markup.
# In JSON they can only stand inside strings, where their \u escapes read the same.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_payload(text: str) -> SafeString:
    """JSON serialised once already (a figure's ``to_json()``), safe inside
    ``<script type="application/json">``: a name holding "</script>" cannot end the element."""
    return mark_safe(str(text).translate(JSON_SCRIPT_ESCAPES))


@register.simple_tag(takes_context=True)
def navigation(context: template.Context) -> list[NavItem]:
    """The service's navigation links for this page (``reports.navigation.menu``)."""
    return menu(
        context["request"],
        user=context.get("user"),
        can_see_audit_log=context.get("can_see_audit_log"),
        can_see_watchlist=context.get("can_see_watchlist"),
    )
