"""Printable PDF reports (WeasyPrint): an agreement's fact sheet, and the "Laporan Kerja Sama"
of a filtered list. Each carries the publisher's identity, its title, the filters, the date
printed and page numbers, in the reader's language (Indonesian by default).

WeasyPrint renders our own HTML templates and stylesheet; it fetches nothing from the network
(``local_only_fetcher``).
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from .exports import describe_filters
from .identity import catalogue_identity
from .models import today
from .selectors import agreement_chain, agreement_detail

# A PDF list stops here and says so: the XLSX export holds any number of rows. WeasyPrint lays
# out about ten rows a landscape page; 100 rows (10 pages) took 6.5 s on this 2-core machine under
# load, so 200 rows stay well inside the 30 s worker timeout (tests/benchmarks/bench_exports.py).
REPORT_MAX_ROWS = 200
STYLESHEET = "css/report.css"


def local_only_fetcher():
    """Only local files (the stylesheet, a logo): never a request to another server."""
    return URLFetcher(allowed_protocols={"file"})


def render_pdf(template, context, request):
    context = {
        "identity": catalogue_identity(),
        "printed_on": today(),
        "page_label": _("Page"),
        "of_label": _("of"),
        **context,
    }
    html = render_to_string(template, context, request=request)
    fetcher = local_only_fetcher()
    stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=fetcher)
    document = HTML(string=html, base_url=request.build_absolute_uri("/"), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])


def agreement_list_pdf(request, filterset, title):
    rows = list(filterset.qs[: REPORT_MAX_ROWS + 1])
    total = len(rows) if len(rows) <= REPORT_MAX_ROWS else filterset.qs.count()
    return render_pdf(
        "cooperation/reports/agreement_list.html",
        {
            "title": title,
            "filters": describe_filters(filterset),
            "agreements": rows[:REPORT_MAX_ROWS],
            "total": total,
            "truncated": total > REPORT_MAX_ROWS,
            "max_rows": REPORT_MAX_ROWS,
        },
        request,
    )


def fact_sheet_queryset(user):
    return agreement_detail(user)


def fact_sheet_pdf(request, agreement):
    return render_pdf(
        "cooperation/reports/fact_sheet.html",
        {
            "title": _("Agreement fact sheet"),
            "agreement": agreement,
            "chain": agreement_chain(agreement, request.user),
            "money_flows": agreement.yearly_money_flows(),
            "page_url": request.build_absolute_uri(agreement.get_absolute_url()),
        },
        request,
    )
