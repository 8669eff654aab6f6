"""Monitoring as a reader sees it: an agreement page with a recurring follow-up and an
evaluation, and the follow-up list, in Indonesian and in English."""

import datetime

from playwright.sync_api import expect

from cooperation.models import (
    Agreement,
    Evaluation,
    FollowUp,
    Party,
    months_before,
    period_end,
    today,
)
from cooperation.services import follow_up_schedule
from regions.models import Organisation


def monitored_agreement():
    """A cooperation agreement in force for over a year, with a monthly monitoring that two
    governments are responsible for (its first month done) and an evaluation."""
    now = today()
    start = months_before(now, 14)
    serang = Organisation.objects.get(slug="pemerintah-kabupaten-serang")
    bandung = Organisation.objects.get(slug="pemerintah-kabupaten-bandung")
    agreement = Agreement.objects.create(
        slug="pks-uji-monev",
        title="PKS uji monitoring",
        kind=Agreement.Kind.COOPERATION_AGREEMENT,
        stage=Agreement.Stage.IMPLEMENTATION,
        date=start,
        valid_from=start,
        valid_until=start + datetime.timedelta(days=730),
        is_published=True,
    )
    for organisation in (serang, bandung):
        Party.objects.create(agreement=agreement, organisation=organisation, role="signatory")
    monitoring = FollowUp.objects.create(
        agreement=agreement,
        action="Monitoring bulanan pelaksanaan",
        due_date=period_end(start, "month"),
        due_precision="month",
        recurrence="monthly",
        status="in_progress",
    )
    monitoring.responsible_organisations.set([serang, bandung])
    follow_up_schedule(monitoring)
    first = monitoring.occurrences.first()
    first.done_on = first.due_date
    first.save()
    evaluated_on = months_before(now, 1)
    Evaluation.objects.create(
        agreement=agreement,
        year=evaluated_on.year,
        period="year",
        evaluated_on=evaluated_on,
        evaluator=serang,
        assessment="delayed",
        implemented="Rapat koordinasi dua kali.",
        problems="Anggaran terbatas.",
        recommendation="Menyusun rencana aksi bersama.",
    )
    return agreement, monitoring.occurrences.count()


def test_monitoring_on_the_agreement_page_and_the_follow_up_list_in_both_languages(catalogue, page):
    agreement, total = monitored_agreement()

    page.goto(catalogue.url + agreement.get_absolute_url())
    evaluations = page.locator(
        "section", has=page.get_by_role("heading", name="Monitoring dan evaluasi")
    )
    expect(evaluations).to_contain_text("Evaluasi terakhir")
    expect(evaluations).to_contain_text("Tertunda")
    expect(evaluations).to_contain_text("Anggaran terbatas.")
    follow_ups = page.locator("table.follow-ups tr", has_text="Monitoring bulanan pelaksanaan")
    expect(follow_ups).to_contain_text("Bulanan")
    expect(follow_ups).to_contain_text(f"1 dari {total} selesai")
    expect(follow_ups.locator("ul.occurrences li").first).to_contain_text("selesai")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    evaluations = page.locator(
        "section", has=page.get_by_role("heading", name="Monitoring and evaluation")
    )
    expect(evaluations).to_contain_text("Latest evaluation")
    expect(evaluations).to_contain_text("Delayed")
    follow_ups = page.locator("table.follow-ups tr", has_text="Monitoring bulanan pelaksanaan")
    expect(follow_ups).to_contain_text("Monthly")
    expect(follow_ups).to_contain_text(f"1 of {total} done")

    page.goto(catalogue.url + "/follow-ups/")
    row = page.locator("table.follow-ups tr", has_text="Monitoring bulanan pelaksanaan")
    expect(row).to_contain_text("Monthly")
    expect(row.get_by_role("link", name="Pemerintah Kabupaten Serang")).to_be_visible()
    expect(row.get_by_role("link", name="Pemerintah Kabupaten Bandung")).to_be_visible()
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    row = page.locator("table.follow-ups tr", has_text="Monitoring bulanan pelaksanaan")
    expect(row).to_contain_text("Bulanan")
    expect(row).to_contain_text(f"1 dari {total} selesai")
