"""Atom feeds of newly published agreements and iCalendar feeds of deadlines."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from cooperation.models import Agreement, FollowUpOccurrence

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_URL = reverse("cooperation:agreement_feed")
CALENDAR_URL = reverse("cooperation:calendar")


def entry_titles(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def publish(agreement):
    """Publish as an officer does, leaving the history record the feed reads."""
    agreement.is_published = True
    agreement.save()


def test_feed_lists_the_most_recently_published_first_and_no_drafts(client, make_agreement):
    old_event = make_agreement(
        title="Lama, baru terbit", date=datetime.date(2020, 1, 1), is_published=False
    )
    make_agreement(title="Baru, terbit dulu", date=datetime.date(2025, 1, 1))
    make_agreement(title="Masih draf", is_published=False)
    publish(old_event)

    assert entry_titles(client.get(FEED_URL)) == ["Lama, baru terbit", "Baru, terbit dulu"]


def test_feeds_per_region_organisation_and_sector_take_the_list_filters(
    client, make_agreement, make_government, make_region, make_province, make_sector
):
    region = make_region(province=make_province())  # a province of its own
    government = make_government(region)
    sector = make_sector()
    make_agreement(title="Di daerah", parties=[government, make_government()])
    make_agreement(title="Sektor", sectors=[sector])

    assert entry_titles(client.get(FEED_URL, {"region": region.code})) == ["Di daerah"]
    assert entry_titles(client.get(FEED_URL, {"region": region.province.code})) == ["Di daerah"]
    assert entry_titles(client.get(FEED_URL, {"partner": government.slug})) == ["Di daerah"]
    assert entry_titles(client.get(FEED_URL, {"sector": sector.slug})) == ["Sektor"]
    assert client.get(FEED_URL, {"region": "99.99"}).status_code == 404


def test_staff_get_no_drafts_in_feeds_either(client, make_agreement):
    make_agreement(title="Masih draf", is_published=False)
    client.force_login(User.objects.create_user("petugas", password="x", is_staff=True))

    assert entry_titles(client.get(FEED_URL)) == []


def test_pages_announce_their_feeds(
    client, make_agreement, make_government, make_region, make_sector
):
    region = make_region()
    government = make_government(region)
    sector = make_sector(slug="air")
    make_agreement(parties=[government, make_government()], sectors=[sector])

    def alternates(url, **query):
        html = client.get(url, query).content.decode()
        return [line for line in html.splitlines() if 'rel="alternate"' in line]

    assert f"{FEED_URL}?region={region.code}&amp;lang=id" in "".join(
        alternates(region.get_absolute_url())
    )
    assert f"{CALENDAR_URL}?region={region.code}" in "".join(alternates(region.get_absolute_url()))
    assert f"{FEED_URL}?partner={government.slug}" in "".join(
        alternates(government.get_absolute_url())
    )
    assert f"{CALENDAR_URL}?organisation={government.slug}" in "".join(
        alternates(government.get_absolute_url())
    )
    listed = "".join(
        alternates(reverse("cooperation:agreement_list"), sector="air", order="title", page="1")
    )
    assert f'href="{FEED_URL}?sector=air&amp;lang=id"' in listed
    assert f"{FEED_URL}?lang=id" in "".join(alternates(reverse("cooperation:home")))


def test_calendar_has_due_dates_and_validity_ends_as_all_day_events(
    today, client, make_agreement, make_follow_up
):
    due = today + datetime.timedelta(days=10)
    agreement = make_agreement(
        title="Kerja sama air bersih", valid_until=today + datetime.timedelta(days=60)
    )
    make_follow_up(agreement, action="Survei lokasi", due_date=due)
    make_follow_up(agreement, action="Tanpa batas waktu")
    hidden = make_agreement(is_published=False, valid_until=due)
    make_follow_up(hidden, action="Dari draf", due_date=due)

    found = events(client.get(CALENDAR_URL, {"lang": "en"}))

    assert set(found) == {"Due: Survei lokasi", "Validity ends: Kerja sama air bersih"}
    event = found["Due: Survei lokasi"]
    assert event.decoded("dtstart") == due
    assert event.decoded("dtend") == due + datetime.timedelta(days=1)
    assert str(event["url"]) == "http://testserver" + agreement.get_absolute_url()
    assert str(event["uid"]).startswith("follow-up-")


def test_calendar_is_indonesian_by_default_and_subscribable(
    today, client, make_agreement, make_follow_up
):
    make_follow_up(make_agreement(), action="Rapat teknis", due_date=today)

    response = client.get(CALENDAR_URL)
    calendar = Calendar.from_ical(response.content)

    assert "Batas waktu: Rapat teknis" in events(response)
    assert calendar["method"] == "PUBLISH"
    assert str(calendar["x-wr-timezone"]) == "Asia/Jakarta"
    assert "refresh-interval" in calendar
    assert "attachment" not in response.get("Content-Disposition", "")


def test_calendars_per_region_and_organisation(
    today, client, make_agreement, make_follow_up, make_government, make_region, make_organisation
):
    region = make_region()
    government = make_government(region)
    company = make_organisation()
    here = make_agreement(parties=[government, make_government()], valid_until=today)
    make_follow_up(here, action="Di daerah", due_date=today)
    elsewhere = make_agreement(parties=[company, make_government()])
    make_follow_up(elsewhere, action="Oleh perusahaan", due_date=today, responsible=company)

    assert set(events(client.get(CALENDAR_URL, {"region": region.code}))) == {
        "Batas waktu: Di daerah",
        f"Masa berlaku berakhir: {here.title}",
    }
    assert set(events(client.get(CALENDAR_URL, {"organisation": company.slug}))) == {
        "Batas waktu: Oleh perusahaan"
    }
    assert client.get(CALENDAR_URL, {"organisation": "tidak-ada"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", [FEED_URL, CALENDAR_URL])
def test_login_required_catalogue_closes_feeds(client, settings, url):
    settings.CATALOGUE_LOGIN_REQUIRED = True

    assert client.get(url).status_code == 302
    assert Agreement.objects.count() == 0


@pytest.mark.parametrize("url", [FEED_URL, CALENDAR_URL])
def test_feed_queries_do_not_grow_with_the_agreements(
    client, today, django_assert_max_num_queries, make_agreement, make_follow_up, url
):
    def add_agreement():
        agreement = make_agreement(valid_until=today + datetime.timedelta(days=400))
        make_follow_up(agreement, due_date=today)
        make_follow_up(agreement, due_date=today, recurrence="monthly")

    add_agreement()
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(10):
        add_agreement()
    with django_assert_max_num_queries(len(one)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 10])
def test_an_organisation_s_calendar_queries_do_not_grow(
    client,
    today,
    django_assert_num_queries,
    make_agreement,
    make_follow_up,
    make_government,
    make_organisation,
    rows,
):
    government = make_government()
    for _ in range(rows):
        agreement = make_agreement(
            parties=[government, make_government()], valid_until=today + datetime.timedelta(400)
        )
        make_follow_up(agreement, due_date=today, responsible=[government, make_organisation()])
        make_follow_up(agreement, due_date=today, recurrence="monthly", responsible=government)
    # the organisation (once for the follow-ups, once for the agreements), the follow-ups
    # (one-off and recurring) with their responsible organisations and occurrences, the
    # agreements whose validity ends
    with django_assert_num_queries(6):
        response = client.get(CALENDAR_URL, {"organisation": government.slug})
    # each one-off follow-up, each occurrence and each validity end is an event
    calendar = Calendar.from_ical(response.content)
    occurrences = FollowUpOccurrence.objects.count()
    assert occurrences > rows
    assert len(calendar.walk("VEVENT")) == rows + occurrences + rows


def test_feed_links_back_to_the_list_it_follows(client, make_agreement, make_sector):
    sector = make_sector(slug="air")
    make_agreement(sectors=[sector])

    feed = ET.fromstring(client.get(FEED_URL, {"sector": "air", "lang": "en"}).content)

    alternate = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "alternate")
    assert (
        alternate.get("href")
        == "http://testserver" + reverse("cooperation:agreement_list") + "?sector=air"
    )


def test_a_recurring_follow_up_is_an_event_on_each_occurrence_in_each_organisation_s_calendar(
    client, clock, make_agreement, make_follow_up, make_organisation
):
    clock.move_to(datetime.date(2026, 1, 10))
    dlh_a, dlh_b = make_organisation(), make_organisation()
    make_follow_up(
        make_agreement(valid_until=datetime.date(2026, 12, 31)),
        action="Monitoring triwulanan",
        due_date=datetime.date(2026, 3, 31),
        due_precision="quarter",
        recurrence="quarterly",
        responsible=[dlh_a, dlh_b],
    )

    for organisation in (dlh_a, dlh_b):
        response = client.get(CALENDAR_URL, {"organisation": organisation.slug, "lang": "en"})
        calendar = Calendar.from_ical(response.content)
        found = [
            (str(event["summary"]), event.decoded("dtstart")) for event in calendar.walk("VEVENT")
        ]
        assert found == [
            ("Due: Monitoring triwulanan", datetime.date(2026, month, day))
            for month, day in [(3, 31), (6, 30), (9, 30), (12, 31)]
        ]
        first = calendar.walk("VEVENT")[0]
        assert "Due: Q1 2026" in str(first["description"])
        assert len({str(event["uid"]) for event in calendar.walk("VEVENT")}) == 4
