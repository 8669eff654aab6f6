"""Email reminders: ``manage.py send_reminders`` against a real SMTP server (aiosmtpd in its
own process), and the staff page for choosing what to follow."""

import datetime
import email
import email.policy
import io
import mailbox
import socket
import subprocess
import sys
import time

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.models import (
    Agreement,
    Evaluation,
    OrganisationContact,
    ReminderSent,
    ReminderSubscription,
)


@pytest.fixture
def smtp_server(tmp_path, settings):
    """An SMTP server process (aiosmtpd) that files what it receives in a Maildir."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    maildir = tmp_path / "maildir"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(maildir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"aiosmtpd did not start: {process.stderr.read()!r}") from None
            time.sleep(0.1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://kerjasama.example.go.id"

    def received():
        messages = (
            [
                email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
                for message in mailbox.Maildir(maildir, create=False)
            ]
            if maildir.exists()
            else []
        )
        return {message["To"]: message for message in messages}

    yield received
    process.terminate()
    process.wait(timeout=10)


def parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


@pytest.fixture
def days(today):
    """``days(n)``: the date ``n`` days from the catalogue's today."""
    return lambda n: today + datetime.timedelta(days=n)


@pytest.fixture
def agency(make_government, make_organisation):
    organisation = make_organisation(name="Dinas Lingkungan Hidup")
    OrganisationContact.objects.create(organisation=organisation, email="dlh@example.go.id")
    return organisation


def test_follow_up_due_soon_reaches_its_organisation_in_indonesian_then_english(
    db, smtp_server, agency, make_agreement, make_follow_up, days
):
    agreement = make_agreement(title="Kerja sama pengelolaan sampah")
    make_follow_up(agreement, action="Survei lokasi TPAS", due_date=days(5), responsible=agency)

    call_command("send_reminders", stdout=io.StringIO())

    message = smtp_server()["dlh@example.go.id"]
    text, html = parts(message)
    assert message["Subject"].startswith("Pengingat")
    assert "Survei lokasi TPAS" in text and "Kerja sama pengelolaan sampah" in text
    assert text.index("Tindak lanjut jatuh tempo dalam 7 hari") < text.index("English below")
    assert text.index("English below") < text.index("Follow-up due within 7 days")
    assert "https://kerjasama.example.go.id" + agreement.get_absolute_url() in text
    assert f'href="https://kerjasama.example.go.id{agreement.get_absolute_url()}"' in html
    assert '<div lang="en">' in html


def test_each_reminder_is_sent_once_per_threshold_and_recorded(
    db, smtp_server, agency, make_agreement, make_follow_up, days
):
    follow_up = make_follow_up(
        make_agreement(), action="Rapat", due_date=days(20), responsible=agency
    )

    call_command("send_reminders", stdout=io.StringIO())
    call_command("send_reminders", stdout=io.StringIO())
    assert len(smtp_server()) == 1
    record = ReminderSent.objects.get()
    assert (record.kind, record.follow_up, record.recipients) == (
        "follow_up_due_30",
        follow_up,
        "dlh@example.go.id",
    )

    call_command("send_reminders", date=days(15), stdout=io.StringIO())  # now within 7 days
    call_command("send_reminders", date=days(21), stdout=io.StringIO())  # now overdue
    call_command("send_reminders", date=days(22), stdout=io.StringIO())
    assert sorted(ReminderSent.objects.values_list("kind", flat=True)) == [
        "follow_up_due_30",
        "follow_up_due_7",
        "follow_up_overdue",
    ]


def test_validity_ends_reach_parties_contacts_and_subscribed_staff(
    db, smtp_server, make_agreement, make_government, make_region, days
):
    region = make_region()
    government = make_government(region)
    OrganisationContact.objects.create(organisation=government, email="kerjasama@pemkab.go.id")
    officer = User.objects.create_user("petugas", "petugas@biro.go.id", "x", is_staff=True)
    ReminderSubscription.objects.create(user=officer, region=region.province)
    not_staff = User.objects.create_user("tamu", "tamu@example.org", "x")
    ReminderSubscription.objects.create(user=not_staff, region=region)
    make_agreement(
        title="KSB air bersih", parties=[government, make_government()], valid_until=days(80)
    )

    call_command("send_reminders", stdout=io.StringIO())

    received = smtp_server()
    assert set(received) == {"kerjasama@pemkab.go.id", "petugas@biro.go.id"}
    assert "Masa berlaku berakhir dalam 90 hari" in parts(received["petugas@biro.go.id"])[0]


def test_no_reminder_for_ended_renewed_or_draft_agreements(
    db, smtp_server, agency, make_agreement, make_follow_up, make_organisation, make_relation, days
):
    other = make_organisation()
    ended = make_agreement(
        stage=Agreement.Stage.TERMINATED, parties=[agency, other], valid_until=days(10)
    )
    renewed = make_agreement(parties=[agency, other], valid_until=days(10))
    # The renewal itself is running, but too new to be due an evaluation.
    renewal = make_agreement(kind=renewed.kind, parties=[agency, other], date=days(-30))
    make_relation(renewal, renewed, type="renews")
    draft = make_agreement(is_published=False, parties=[agency, other], valid_until=days(10))
    for agreement in (ended, renewed, draft):
        make_follow_up(agreement, due_date=days(3), responsible=agency)

    call_command("send_reminders", stdout=io.StringIO())

    assert smtp_server() == {}
    assert not ReminderSent.objects.exists()


def test_a_moved_deadline_gets_reminders_of_its_own(
    db, smtp_server, agency, make_agreement, make_follow_up, days
):
    follow_up = make_follow_up(make_agreement(), due_date=days(3), responsible=agency)
    call_command("send_reminders", stdout=io.StringIO())
    follow_up.due_date = days(6)
    follow_up.save()

    call_command("send_reminders", stdout=io.StringIO())

    assert ReminderSent.objects.filter(follow_up=follow_up).count() == 2


def test_an_unreachable_server_records_nothing_and_fails_loudly(
    db, settings, agency, make_agreement, make_follow_up, days
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    make_follow_up(make_agreement(), due_date=days(3), responsible=agency)

    with pytest.raises((CommandError, OSError)):
        call_command("send_reminders", stdout=io.StringIO())
    assert not ReminderSent.objects.exists()


def test_dry_run_sends_and_records_nothing(
    db, mailoutbox, agency, make_agreement, make_follow_up, days
):
    make_follow_up(make_agreement(), due_date=days(3), responsible=agency)

    call_command("send_reminders", dry_run=True, stdout=io.StringIO())

    assert mailoutbox == [] and not ReminderSent.objects.exists()


def test_a_subscription_is_a_region_or_an_organisation(db, make_region, make_organisation):
    user = User.objects.create_user("petugas", is_staff=True)
    with pytest.raises(IntegrityError):
        ReminderSubscription.objects.create(
            user=user, region=make_region(), organisation=make_organisation()
        )


def test_staff_choose_what_to_follow_on_their_settings_page(client, make_region, make_organisation):
    region = make_region()
    organisation = make_organisation()
    officer = User.objects.create_user("petugas", "petugas@biro.go.id", "x", is_staff=True)
    client.force_login(officer)
    url = reverse("cooperation:reminder_settings")

    client.post(url, {"region": region.code})
    client.post(url, {"organisation": organisation.slug})
    twice = client.post(url, {"region": region.code})
    both = client.post(url, {"region": region.code, "organisation": organisation.slug})
    page = client.get(url).content.decode()

    assert twice.status_code == 400 and both.status_code == 400
    assert "petugas@biro.go.id" in page and str(region) in page and organisation.name in page
    subscription = officer.reminder_subscriptions.get(region=region)
    client.post(url, {"remove": subscription.pk})
    assert list(officer.reminder_subscriptions.values_list("organisation", flat=True)) == [
        organisation.pk
    ]


def test_settings_page_is_for_staff_only(db, client):
    url = reverse("cooperation:reminder_settings")
    assert client.get(url).status_code == 302
    client.force_login(User.objects.create_user("tamu"))
    assert client.get(url).status_code == 403


def test_settings_page_queries_do_not_grow_with_subscriptions(
    client, django_assert_max_num_queries, make_region
):
    officer = User.objects.create_user("petugas", "petugas@biro.go.id", "x", is_staff=True)
    client.force_login(officer)
    url = reverse("cooperation:reminder_settings")
    ReminderSubscription.objects.create(user=officer, region=make_region())
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(10):
        ReminderSubscription.objects.create(user=officer, region=make_region())

    with django_assert_max_num_queries(len(one)):
        page = client.get(url)
    assert page.content.decode().count('name="remove"') == 11


def test_each_occurrence_of_a_recurring_follow_up_is_reminded_once_to_every_responsible(
    db, smtp_server, agency, clock, make_agreement, make_follow_up, make_organisation
):
    clock.move_to(datetime.date(2026, 1, 20))
    other = make_organisation(name="DLH Kabupaten Mitra")
    OrganisationContact.objects.create(organisation=other, email="dlh-mitra@example.go.id")
    monitoring = make_follow_up(
        make_agreement(valid_until=datetime.date(2026, 12, 31)),
        action="Monitoring bulanan TPAS",
        due_date=datetime.date(2026, 1, 31),
        due_precision="month",
        recurrence="monthly",
        responsible=[agency, other],
    )

    call_command("send_reminders", stdout=io.StringIO())
    received = smtp_server()
    assert set(received) == {"dlh@example.go.id", "dlh-mitra@example.go.id"}
    text, _ = parts(received["dlh@example.go.id"])
    assert "Monitoring bulanan TPAS" in text and "Januari 2026" in text
    assert "January 2026" in text  # the English part

    # January is done; February's comes within 7 days of its end, once (March is not due
    # within 30 days yet).
    monitoring.occurrences.filter(due_date=datetime.date(2026, 1, 31)).update(
        done_on=datetime.date(2026, 1, 30)
    )
    clock.move_to(datetime.date(2026, 2, 22))
    call_command("send_reminders", stdout=io.StringIO())
    call_command("send_reminders", stdout=io.StringIO())
    deadlines = sorted(ReminderSent.objects.values_list("kind", "deadline"))
    assert deadlines == [
        ("follow_up_due_30", datetime.date(2026, 1, 31)),
        ("follow_up_due_7", datetime.date(2026, 2, 28)),
    ]


def test_an_evaluation_due_is_reminded_once_to_the_parties_until_the_next_evaluation(
    db, smtp_server, clock, make_agreement, make_government
):
    clock.move_to(datetime.date(2026, 3, 1))
    government = make_government()
    OrganisationContact.objects.create(organisation=government, email="ks@example.go.id")
    agreement = make_agreement(
        title="PKS pengelolaan sampah",
        parties=[government, make_government()],
        kind=Agreement.Kind.COOPERATION_AGREEMENT,
        stage=Agreement.Stage.IMPLEMENTATION,
        valid_from=datetime.date(2025, 1, 6),
        valid_until=datetime.date(2027, 1, 5),
    )
    Evaluation.objects.create(
        agreement=agreement,
        year=2025,
        period="semester_1",
        evaluated_on=datetime.date(2025, 7, 20),
        assessment="on_track",
    )

    call_command("send_reminders", stdout=io.StringIO())
    call_command("send_reminders", stdout=io.StringIO())
    text, _ = parts(smtp_server()["ks@example.go.id"])
    assert "PKS pengelolaan sampah" in text and "Evaluasi jatuh tempo" in text
    assert list(ReminderSent.objects.values_list("kind", "deadline")) == [
        ("evaluation_due", datetime.date(2026, 1, 20))
    ]

    Evaluation.objects.create(
        agreement=agreement,
        year=2025,
        period="semester_2",
        evaluated_on=datetime.date(2026, 3, 1),
        assessment="delayed",
    )
    call_command("send_reminders", stdout=io.StringIO())  # evaluated: nothing due
    assert ReminderSent.objects.count() == 1
    clock.move_to(datetime.date(2026, 9, 2))
    call_command("send_reminders", stdout=io.StringIO())  # six months later: due again
    assert sorted(ReminderSent.objects.values_list("deadline", flat=True)) == [
        datetime.date(2026, 1, 20),
        datetime.date(2026, 9, 1),
    ]
