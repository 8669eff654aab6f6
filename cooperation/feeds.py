"""Feeds to subscribe to: an Atom feed of newly published agreements (Django's syndication
framework) and an iCalendar feed of follow-up due dates and validity ends (``icalendar``).

Both take the list pages' query parameters through their filter sets: the Atom feed any
agreement filter (``region`` for a province or region, ``partner`` for an organisation,
``sector``, ...), the calendar ``region`` and ``organisation``. Feed readers and calendar apps
do not log in, so feeds hold published agreements only.
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import DateTimeField, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.generic import View
from icalendar import Calendar, Event

from .downloads import LanguageMixin, requested_language
from .exports import describe_filters
from .models import Agreement, FollowUp, FollowUpOccurrence, today
from .selectors import filtered_agreements, filtered_follow_ups
from .views import CatalogueMixin

FEED_SIZE = 50
# Calendars hold what is due from this many days ago on: enough history to see what was missed.
CALENDAR_PAST_DAYS = 365
CALENDAR_REFRESH = datetime.timedelta(hours=6)


def _published_only(request, filtered):
    """The filter set as an anonymous visitor gets it: feeds are read without a login."""
    return filtered(request, user=AnonymousUser())


def newly_published(queryset):
    """``queryset`` newest publication first: ``published_at`` is when its history first shows
    it published (None for records loaded without history, such as fixtures; those come last,
    by date)."""
    first_published = (
        Agreement.history.filter(id=OuterRef("pk"), is_published=True)
        .order_by("history_date")
        .values("history_date")[:1]
    )
    return queryset.annotate(
        published_at=Subquery(first_published, output_field=DateTimeField())
    ).order_by("-published_at", "-date", "title")


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _filter_title(base, filters):
    if not filters:
        return base
    return f"{base}: " + "; ".join(f"{label} {value}" for label, value in filters)


class AgreementFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        if CatalogueMixin.login_needed(request):
            return CatalogueMixin.login_redirect(request)
        with translation.override(requested_language(request)):
            return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        filterset = _published_only(request, filtered_agreements)
        if not filterset.is_valid():
            raise Http404("Invalid filters")
        return filterset

    def title(self, filterset):
        return _filter_title(_("New agreements"), describe_filters(filterset))

    def subtitle(self, filterset):
        return _("Agreements newly published in the Regional Cooperation Catalogue.")

    def link(self, filterset):
        # The feed object is shared by every request: what a request asked is in its filter set.
        query = filterset.data.copy()
        query.pop("lang", None)
        query = query.urlencode()
        return reverse("cooperation:agreement_list") + (f"?{query}" if query else "")

    def items(self, filterset):
        return newly_published(filterset.qs)[:FEED_SIZE]

    def item_title(self, agreement):
        return agreement.title

    def item_description(self, agreement):
        parties = ", ".join(party.organisation.name for party in agreement.parties.all())
        parts = [agreement.get_kind_display(), parties, agreement.summary]
        return " · ".join(part for part in parts if part)

    def item_pubdate(self, agreement):
        if agreement.published_at:
            return agreement.published_at
        return _midnight(agreement.date) if agreement.date else None

    def item_updateddate(self, agreement):
        return self.item_pubdate(agreement)

    def item_categories(self, agreement):
        return [str(sector) for sector in agreement.sectors.all()]


class CalendarView(LanguageMixin, CatalogueMixin, View):
    """Follow-up due dates and validity ends as all-day events, for a calendar subscription
    (Outlook, Google Calendar): overall, or for a ``region`` (code) or an ``organisation``
    (slug: the follow-ups it is responsible for, the agreements it is a party to)."""

    def get(self, request):
        region = request.GET.get("region", "")
        organisation = request.GET.get("organisation", "")
        follow_ups = filtered_follow_ups(
            request, {"region": region, "responsible": organisation}, user=AnonymousUser()
        )
        agreements = filtered_agreements(
            request, {"region": region, "partner": organisation}, user=AnonymousUser()
        )
        if not (follow_ups.is_valid() and agreements.is_valid()):
            raise Http404("Unknown region or organisation")
        since = today() - datetime.timedelta(days=CALENDAR_PAST_DAYS)
        calendar = self.calendar(describe_filters(agreements))
        host = request.get_host().split(":")[0]
        # A one-off follow-up is an event on its due date; a recurring one, an event on each
        # occurrence's. Both kinds in one query, with only what the events show: the
        # responsible organisations, and a recurring one's occurrences since ``since``.
        due = list(
            follow_ups.qs.filter(
                Q(recurrence=FollowUp.Recurrence.NONE, due_date__gte=since)
                | ~Q(recurrence=FollowUp.Recurrence.NONE)
            )
            .prefetch_related(None)
            .prefetch_related(
                "responsible_organisations",
                Prefetch(
                    "occurrences",
                    queryset=FollowUpOccurrence.objects.filter(due_date__gte=since),
                    to_attr="calendar_occurrences",
                ),
            )
        )
        for follow_up in due:
            if not follow_up.is_recurring:
                calendar.add_component(self.follow_up_event(follow_up, follow_up, host))
        for follow_up in due:
            for occurrence in follow_up.calendar_occurrences if follow_up.is_recurring else ():
                calendar.add_component(self.follow_up_event(follow_up, occurrence, host))
        # A validity end shows the agreement's title and kind: none of the list's parts.
        ending = agreements.qs.filter(valid_until__gte=since).order_by("valid_until", "pk")
        for agreement in ending.select_related(None).prefetch_related(None):
            calendar.add_component(self.validity_event(agreement, host))
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="kerja-sama.ics"'
        return response

    def calendar(self, filters):
        calendar = Calendar()
        calendar.add("prodid", "-//Katalog Kerja Sama Daerah//Kalender//ID")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _filter_title(_("Cooperation deadlines"), filters))
        calendar.add("x-wr-timezone", "Asia/Jakarta")
        calendar.add("refresh-interval", CALENDAR_REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT6H")  # Outlook's name for the same
        return calendar

    def event(self, uid, day, summary, description, path):
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", timezone.now())
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        event.add("url", self.request.build_absolute_uri(path))
        event.add("transp", "TRANSPARENT")
        return event

    def follow_up_event(self, follow_up, due, host):
        """The event of a follow-up's due date (``due`` is the follow-up, or one of its
        occurrences), on the last day of its period ("Desember 2026")."""
        lines = [
            follow_up.agreement.title,
            f"{_('Due')}: {due.due_label}",
            f"{_('Status')}: {follow_up.get_status_display()}",
            f"{_('Responsible')}: {follow_up.responsible_names or _('not set')}",
        ]
        uid = f"follow-up-{follow_up.pk}"
        if due is not follow_up:
            uid += f"-{due.due_date.isoformat()}"
            if due.done_on:
                lines.insert(2, _("This occurrence is done."))
        return self.event(
            f"{uid}@{host}",
            due.due_date,
            _("Due: %(action)s") % {"action": follow_up.action},
            "\n".join(lines),
            follow_up.agreement.get_absolute_url(),
        )

    def validity_event(self, agreement, host):
        return self.event(
            f"validity-end-{agreement.pk}@{host}",
            agreement.valid_until,
            _("Validity ends: %(title)s") % {"title": agreement.title},
            agreement.get_kind_display(),
            agreement.get_absolute_url(),
        )
