"""Views that answer a file: a filtered list as CSV, XLSX or a PDF report, and an agreement's
fact sheet as PDF.

Each takes the list page's query string (filters, ``order``) and a ``lang`` (``id`` or ``en``;
the reader's language otherwise), goes through the page's own filter set, and shows drafts to
staff only, as the page does. Invalid filters answer 400 with the page's messages.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import View

from . import reports, statistics
from .exports import AGREEMENT_COLUMNS, FOLLOW_UP_COLUMNS, Export, csv_lines, xlsx_file
from .models import today
from .selectors import filtered_agreements, filtered_follow_ups
from .views import CatalogueMixin

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"


def requested_language(request):
    """The ``lang`` of the query string when it is one of ours, else the reader's language."""
    code = request.GET.get("lang", "")
    return code if code in dict(settings.LANGUAGES) else translation.get_language()


class LanguageMixin:
    """Answer in the language the link asks for: a shared link keeps its language."""

    def dispatch(self, request, *args, **kwargs):
        self.language = requested_language(request)
        with translation.override(self.language):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            return response


def _in_language(language, lines):
    """Streamed content is produced after the view returns: keep the language while it is."""
    with translation.override(language):
        yield from lines


def _filename(title, extension):
    return f"{slugify(title)}-{today().isoformat()}.{extension}"


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class ListDownloadView(LanguageMixin, CatalogueMixin, View):
    """A filtered list as a file; ``format`` comes from the URL."""

    columns = None
    list_url_name = None

    def title(self):
        raise NotImplementedError

    def sheet_name(self):
        raise NotImplementedError

    def filterset(self):
        raise NotImplementedError

    def get(self, request, format):
        filterset = self.filterset()
        if not filterset.is_valid():
            return render(
                request,
                "cooperation/invalid_filters.html",
                {"form": filterset.form, "list_url_name": self.list_url_name},
                status=400,
            )
        if format == "pdf":
            return self.pdf(filterset)
        export = Export.of(self.title(), self.sheet_name(), filterset, self.columns, request)
        if format == "csv":
            response = StreamingHttpResponse(
                _in_language(self.language, csv_lines(export)), content_type=CSV_TYPE
            )
            return _attachment(response, _filename(export.title, "csv"))
        response = FileResponse(xlsx_file(export), content_type=XLSX_TYPE)
        return _attachment(response, _filename(export.title, "xlsx"))

    def pdf(self, filterset):
        raise NotImplementedError


class AgreementDownloadView(ListDownloadView):
    columns = AGREEMENT_COLUMNS
    list_url_name = "cooperation:agreement_list"

    def title(self):
        return _("Cooperation report")

    def sheet_name(self):
        return _("Agreements")

    def filterset(self):
        return filtered_agreements(self.request)

    def pdf(self, filterset):
        content = reports.agreement_list_pdf(self.request, filterset, self.title())
        response = HttpResponse(content, content_type=PDF_TYPE)
        return _attachment(response, _filename(self.title(), "pdf"))


class FollowUpDownloadView(ListDownloadView):
    columns = FOLLOW_UP_COLUMNS
    list_url_name = "cooperation:followup_list"

    def title(self):
        return _("Follow-up actions")

    def sheet_name(self):
        return _("Follow-up actions")

    def filterset(self):
        return filtered_follow_ups(self.request)


class FactSheetView(LanguageMixin, CatalogueMixin, View):
    """An agreement's fact sheet as PDF (a draft is 404 to visitors, as its page is)."""

    def get(self, request, slug):
        agreement = get_object_or_404(reports.fact_sheet_queryset(request.user), slug=slug)
        content = reports.fact_sheet_pdf(request, agreement)
        response = HttpResponse(content, content_type=PDF_TYPE)
        return _attachment(response, f"{agreement.slug}.pdf")


class StatisticsDownloadView(LanguageMixin, CatalogueMixin, View):
    """A chart's table of the statistics page as CSV, with the page's filters."""

    def get(self, request, chart):
        if chart not in statistics.CHART_SLUGS:
            raise Http404("No such chart.")
        filterset = statistics.statistics_filterset(request)
        if not filterset.is_valid():
            return render(
                request,
                "cooperation/invalid_filters.html",
                {"form": filterset.form, "list_url_name": "cooperation:statistics"},
                status=400,
            )
        charts = statistics.build_charts(
            statistics.statistics_numbers(filterset), statistics.applied_filters(filterset)
        )
        found = next(item for item in charts if item.slug == chart)
        response = HttpResponse(content_type=CSV_TYPE)
        statistics.write_csv(found, response)
        return _attachment(response, _filename(f"{_('Statistics')} {found.title}", "csv"))
