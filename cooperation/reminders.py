"""Email reminders of deadlines: which are due today, who receives them, and sending them
(``manage.py send_reminders``).

Thresholds: evaluations due (an agreement in force with no evaluation in the last six months,
``AgreementQuerySet.evaluation_due``: once per agreement and day it became due, so a new
evaluation starts the clock again); follow-up actions due within 30 and within 7 days, and
overdue (a recurring one: each occurrence not yet done, with its own due date); validity ending
within 90 and within 30 days. An item gets the most urgent reminder it qualifies for, once per
threshold and deadline (``ReminderSent``). Nothing is sent for an agreement that has ended or
has been renewed, nor for drafts.

Recipients: the contact addresses of the organisations concerned (the follow-up's responsible
organisations; for a validity end, the parties) and active staff users who subscribe to one of
those organisations or to a region the agreement touches (a province covers its regencies and
cities). Each recipient gets one email per run listing all of their reminders, in Indonesian
with English below, as plain text and HTML.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from regions.models import Region

from .identity import catalogue_identity
from .models import (
    Agreement,
    DuePrecision,
    FollowUp,
    FollowUpOccurrence,
    OrganisationContact,
    ReminderKind,
    ReminderSent,
    ReminderSubscription,
    due_label,
    evaluation_due_since,
    today,
)

logger = logging.getLogger(__name__)

# (kind, days ahead): the most urgent first, since an item gets the first that applies.
FOLLOW_UP_THRESHOLDS = [(ReminderKind.FOLLOW_UP_DUE_7, 7), (ReminderKind.FOLLOW_UP_DUE_30, 30)]
VALIDITY_THRESHOLDS = [(ReminderKind.VALIDITY_ENDS_30, 30), (ReminderKind.VALIDITY_ENDS_90, 90)]


def still_running(agreements):
    """Agreements that have neither ended nor been renewed: not terminated or suspended, and
    not renewed, replaced or terminated by a published later agreement (``superseded``)."""
    return agreements.exclude(
        stage__in=[Agreement.Stage.TERMINATED, Agreement.Stage.SUSPENDED]
    ).not_superseded()


@dataclass
class Reminder:
    kind: str
    agreement: Agreement
    deadline: datetime.date
    follow_up: FollowUp | None = None
    recipients: set = field(default_factory=set)

    @property
    def label(self):
        return ReminderKind(self.kind).label

    @property
    def is_overdue(self):
        return self.kind == ReminderKind.FOLLOW_UP_OVERDUE

    @property
    def deadline_label(self):
        """The deadline as people say it ("Desember 2026" for a follow-up due in a month)."""
        if self.follow_up is not None:
            return due_label(self.deadline, self.follow_up.due_precision)
        return due_label(self.deadline, DuePrecision.DAY)

    def record(self):
        return ReminderSent(
            kind=self.kind,
            agreement=self.agreement,
            follow_up=self.follow_up,
            deadline=self.deadline,
            recipients=", ".join(sorted(self.recipients)),
        )


def _already_sent():
    return {
        (kind, follow_up, agreement, deadline)
        for kind, follow_up, agreement, deadline in ReminderSent.objects.values_list(
            "kind", "follow_up", "agreement", "deadline"
        )
    }


def due_reminders(on=None):
    """The reminders due on ``on`` (default today) that have not been sent yet."""
    on = on or today()
    running = still_running(Agreement.objects.published())
    sent = _already_sent()
    reminders = []

    # A one-off follow-up by its due date; a recurring one by each occurrence not yet done.
    horizon = on + datetime.timedelta(days=FOLLOW_UP_THRESHOLDS[-1][1])
    open_follow_ups = FollowUp.objects.open().filter(agreement__in=running.values("pk"))
    follow_ups = (
        open_follow_ups.filter(recurrence=FollowUp.Recurrence.NONE, due_date__lte=horizon)
        .select_related("agreement")
        .prefetch_related("responsible_organisations")
    )
    occurrences = (
        FollowUpOccurrence.objects.filter(
            follow_up__in=open_follow_ups.exclude(recurrence=FollowUp.Recurrence.NONE).values("pk"),
            done_on__isnull=True,
            due_date__lte=horizon,
        )
        .select_related("follow_up__agreement")
        .prefetch_related("follow_up__responsible_organisations")
    )
    deadlines = [(f.due_date, f) for f in follow_ups]
    deadlines += [(o.due_date, o.follow_up) for o in occurrences]
    for deadline, follow_up in sorted(deadlines, key=lambda item: (item[0], item[1].pk)):
        if deadline < on:
            kind = ReminderKind.FOLLOW_UP_OVERDUE
        else:
            days = (deadline - on).days
            kind = next(kind for kind, limit in FOLLOW_UP_THRESHOLDS if days <= limit)
        if (kind, follow_up.pk, follow_up.agreement_id, deadline) not in sent:
            reminders.append(Reminder(kind, follow_up.agreement, deadline, follow_up))

    ending = running.filter(
        valid_until__gte=on,
        valid_until__lte=on + datetime.timedelta(days=VALIDITY_THRESHOLDS[-1][1]),
    ).order_by("valid_until", "title")
    for agreement in ending:
        days = (agreement.valid_until - on).days
        kind = next(kind for kind, limit in VALIDITY_THRESHOLDS if days <= limit)
        if (kind, None, agreement.pk, agreement.valid_until) not in sent:
            reminders.append(Reminder(kind, agreement, agreement.valid_until))

    kind = ReminderKind.EVALUATION_DUE
    for agreement in running.evaluation_due(on).order_by("title", "pk"):
        since = evaluation_due_since(agreement)
        if (kind, None, agreement.pk, since) not in sent:
            reminders.append(Reminder(kind, agreement, since))
    return reminders


def address_reminders(reminders):
    """Fill in each reminder's recipients (email addresses)."""
    if not reminders:
        return reminders
    agreements = Agreement.objects.filter(pk__in={r.agreement.pk for r in reminders})
    parties = defaultdict(set)  # agreement pk -> organisation pks
    for agreement_pk, organisation_pk in agreements.values_list("pk", "parties__organisation"):
        if organisation_pk:
            parties[agreement_pk].add(organisation_pk)
    regions = defaultdict(set)  # agreement pk -> region pks, with the regions above them
    ancestry = Region.objects.ancestry()
    for agreement_pk, region_pk in agreements.region_links():
        regions[agreement_pk].update(ancestry.get(region_pk, (region_pk,)))

    contacts = defaultdict(set)  # organisation pk -> addresses
    for organisation_pk, email in OrganisationContact.objects.values_list("organisation", "email"):
        contacts[organisation_pk].add(email)
    by_region, by_organisation = defaultdict(set), defaultdict(set)
    subscriptions = ReminderSubscription.objects.filter(
        user__is_active=True, user__is_staff=True
    ).exclude(user__email="")
    for region_pk, organisation_pk, email in subscriptions.values_list(
        "region", "organisation", "user__email"
    ):
        if region_pk:
            by_region[region_pk].add(email)
        else:
            by_organisation[organisation_pk].add(email)

    for reminder in reminders:
        agreement_pk = reminder.agreement.pk
        if reminder.follow_up is not None:
            concerned = {o.pk for o in reminder.follow_up.responsible_organisations.all()}
        else:
            concerned = parties[agreement_pk]
        for organisation_pk in concerned:
            reminder.recipients |= contacts[organisation_pk]
        for organisation_pk in parties[agreement_pk] | concerned:
            reminder.recipients |= by_organisation[organisation_pk]
        for region_pk in regions[agreement_pk]:
            reminder.recipients |= by_region[region_pk]
    return reminders


def _render(extension, reminders, site_url):
    """The message (``txt`` or ``html``): its body in Indonesian, then in English."""
    bodies = {}
    for language in ("id", "en"):
        with translation.override(language):
            bodies[language] = render_to_string(
                f"cooperation/email/reminders_body.{extension}",
                {
                    "reminders": reminders,
                    "site_url": site_url,
                    "identity": catalogue_identity(),
                },
            )
    with translation.override("id"):
        return render_to_string(
            f"cooperation/email/reminders.{extension}",
            {"indonesian": bodies["id"], "english": bodies["en"]},
        )


def reminder_message(address, reminders, connection=None):
    site_url = settings.SITE_URL
    subjects = []
    for language in ("id", "en"):
        with translation.override(language):
            subjects.append(
                ngettext(
                    "Reminder: %(count)d deadline in the cooperation catalogue",
                    "Reminder: %(count)d deadlines in the cooperation catalogue",
                    len(reminders),
                )
                % {"count": len(reminders)}
            )
    message = EmailMultiAlternatives(
        subject=" / ".join(subjects),
        body=_render("txt", reminders, site_url),
        to=[address],
        connection=connection,
    )
    message.attach_alternative(_render("html", reminders, site_url), "text/html")
    return message


@dataclass
class Outcome:
    reminders: int = 0
    emails: int = 0
    failed: list = field(default_factory=list)
    without_recipient: int = 0


def reminders_send(on=None, dry_run=False):
    """Send the reminders due on ``on`` and record them. An item whose every recipient failed
    is not recorded, so the next run tries it again; nor is one without any recipient (it is
    counted: someone could be given the address before the deadline)."""
    reminders = address_reminders(due_reminders(on))
    outcome = Outcome(reminders=len(reminders))
    by_address = defaultdict(list)
    for reminder in reminders:
        for address in sorted(reminder.recipients):
            by_address[address].append(reminder)
    if dry_run:
        outcome.emails = len(by_address)
        return outcome

    delivered = set()
    connection = get_connection()
    with connection:
        for address, items in sorted(by_address.items()):
            try:
                reminder_message(address, items, connection).send()
            except Exception as error:  # an SMTP refusal of one address must not stop the rest
                logger.warning("Reminder to %s failed: %s", address, error)
                outcome.failed.append(address)
                continue
            outcome.emails += 1
            delivered.add(address)

    to_record = []
    for reminder in reminders:
        if not reminder.recipients:
            outcome.without_recipient += 1
            continue
        if not reminder.recipients & delivered:
            continue
        reminder.recipients &= delivered
        to_record.append(reminder.record())
    with transaction.atomic():
        for record in to_record:
            record.save()
    return outcome
