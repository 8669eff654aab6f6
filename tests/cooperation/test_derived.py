"""Derived data (stored category, agreement–region links, search documents) stays right
through every write path: the ORM, admin pages with inlines, deletions, renames, history
reverts, loaddata, and bulk loads followed by the rebuild command."""

import importlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from cooperation import derived
from cooperation.models import Agreement, AgreementRegion, Party
from regions.models import Organisation
from tests.helpers import change_form_data, load_fixtures


def regions_of(agreement):
    return set(
        AgreementRegion.objects.filter(agreement=agreement).values_list("region__code", flat=True)
    )


@pytest.fixture
def banten(make_province, make_region, make_government):
    province = make_province(code="36", name="Banten")
    serang = make_region(province=province, code="36.04", name="Kabupaten Serang")
    return make_government(region=serang, name="Pemerintah Kabupaten Serang")


@pytest.fixture
def bengkulu(make_province, make_government):
    return make_government(region=make_province(code="17", name="Bengkulu"))


def test_links_hold_the_parties_regions_their_parents_and_the_regions_above(
    banten, bengkulu, make_province, make_region, make_organisation, make_agreement
):
    jabar = make_region(province=make_province(code="32"), code="32.73", kind="city")
    agency = make_organisation(kind=Organisation.Kind.REGIONAL_AGENCY, parent=banten)

    agreement = make_agreement(parties=[agency, bengkulu], venue_region=jabar)

    assert regions_of(agreement) == {"36.04", "36", "17", "32.73", "32"}
    assert derived.stale_agreements() == set()


def test_a_site_in_a_district_links_the_district_its_regency_and_province(
    bengkulu, make_province, make_region, make_district, make_agreement
):
    regency = make_region(province=make_province(code="32"), code="32.04")
    district = make_district(regency=regency, code="32.04.01")

    agreement = make_agreement(parties=[bengkulu], site="TPAS Uji", site_region=district)

    assert regions_of(agreement) == {"17", "32.04.01", "32.04", "32"}
    assert Agreement.objects.for_region(regency).get() == agreement
    assert list(Agreement.objects.search("TPAS")) == [agreement]
    assert list(Agreement.objects.search(district.name)) == [agreement]

    agreement.site_region = None
    agreement.save()
    assert regions_of(agreement) == {"17"}
    assert derived.stale_agreements() == set()


def test_category_and_links_follow_the_parties(banten, bengkulu, make_organisation, make_agreement):
    agreement = make_agreement(parties=[banten, bengkulu])
    beijing = make_organisation(kind=Organisation.Kind.INSTITUTION, country="CN")

    Party.objects.create(agreement=agreement, organisation=beijing, role="signatory")
    agreement.refresh_from_db()
    assert agreement.category == Agreement.Category.KSDLL

    agreement.parties.get(organisation=bengkulu).delete()
    assert regions_of(agreement) == {"36.04", "36"}

    beijing.country = "ID"  # corrected: an Indonesian institution after all
    beijing.save()
    agreement.refresh_from_db()
    assert agreement.category == Agreement.Category.KSDPK
    assert derived.stale_agreements() == set()


def test_links_repeat_whether_their_agreement_is_published(banten, bengkulu, make_agreement):
    agreement = make_agreement(parties=[banten, bengkulu], is_published=False)

    def published_links():
        return set(
            AgreementRegion.objects.filter(agreement=agreement).values_list(
                "region__code", "is_published"
            )
        )

    assert published_links() == {("36.04", False), ("36", False), ("17", False)}
    agreement.is_published = True
    agreement.save(update_fields=["is_published"])
    assert published_links() == {("36.04", True), ("36", True), ("17", True)}

    AgreementRegion.objects.filter(agreement=agreement, region__code="17").update(
        is_published=False
    )  # a bulk write that forgot the links
    assert derived.stale_agreements() == {agreement.pk}
    derived.rebuild_all()
    assert published_links() == {("36.04", True), ("36", True), ("17", True)}


def test_an_organisation_moved_to_another_region_moves_its_agreements(
    banten, bengkulu, make_organisation, make_agreement
):
    agency = make_organisation(kind=Organisation.Kind.REGIONAL_AGENCY, parent=banten)
    agreement = make_agreement(parties=[agency])

    agency.parent = bengkulu
    agency.save()

    assert regions_of(agreement) == {"17"}


def test_saving_an_agreement_with_inlines_in_the_admin(
    superuser_client, banten, bengkulu, make_agreement, make_organisation
):
    agreement = make_agreement(parties=[banten, bengkulu])
    company = make_organisation(kind=Organisation.Kind.COMPANY, name="PT Sampah Bersih")
    url = reverse("admin:cooperation_agreement_change", args=[agreement.pk])
    data = change_form_data(superuser_client.get(url))
    data["parties-1-organisation"] = str(company.pk)  # Bengkulu replaced by a company

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.category == Agreement.Category.KSDPK
    assert regions_of(agreement) == {"36.04", "36"}
    assert list(Agreement.objects.search("persampahan")) == [agreement]
    assert derived.stale_agreements() == set()


def test_deleting_an_agreement_in_the_admin_leaves_nothing_behind(
    superuser_client, banten, bengkulu, make_agreement
):
    agreement = make_agreement(parties=[banten, bengkulu])
    url = reverse("admin:cooperation_agreement_delete", args=[agreement.pk])

    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    assert not AgreementRegion.objects.exists()


def test_a_history_revert_brings_the_derived_data_back(
    superuser_client, banten, bengkulu, make_agreement
):
    agreement = make_agreement(parties=[banten, bengkulu], title="Judul pertama")
    agreement.title = "Judul kedua"
    agreement.save()
    first = agreement.history.order_by("history_id").first()
    url = reverse(
        "admin:cooperation_agreement_simple_history", args=[agreement.pk, first.history_id]
    )

    response = superuser_client.post(url, change_form_data(superuser_client.get(url)))

    assert response.status_code == 302
    assert list(Agreement.objects.search("pertama")) == [agreement]
    assert derived.stale_agreements() == set()


def test_loaddata_fills_the_derived_data_of_the_seeds(db):
    load_fixtures()

    assert Agreement.objects.exclude(category="").count() == Agreement.objects.count() == 5
    assert derived.stale_agreements() == set()


def test_rebuild_command_repairs_a_bulk_load(banten, bengkulu):
    (agreement,) = Agreement.objects.bulk_create(
        [Agreement(slug="massal", title="Dimuat massal", kind="other", stage="exploration")]
    )
    Party.objects.bulk_create(
        [
            Party(agreement=agreement, organisation=org, role="signatory")
            for org in (banten, bengkulu)
        ]
    )
    with pytest.raises(CommandError, match="1 agreements have out-of-date derived data"):
        call_command("rebuild_derived", "--check")

    call_command("rebuild_derived", stdout=io.StringIO())

    agreement.refresh_from_db()
    assert agreement.category == Agreement.Category.KSDD
    assert regions_of(agreement) == {"36.04", "36", "17"}
    assert list(Agreement.objects.search("massal")) == [agreement]
    call_command("rebuild_derived", "--check", stdout=io.StringIO())


def test_deferred_refreshes_once_at_the_end(banten, bengkulu, make_agreement):
    agreement = make_agreement(parties=[banten])

    with derived.deferred():
        Party.objects.create(agreement=agreement, organisation=bengkulu, role="signatory")
        assert regions_of(agreement) == {"36.04", "36"}  # not yet
    assert regions_of(agreement) == {"36.04", "36", "17"}


# --- The region filter's shape -----------------------------------------------------------


def test_the_region_filter_is_one_join_on_the_links_without_distinct(banten, make_agreement):
    make_agreement(parties=[banten])
    province = banten.region.province

    sql = str(Agreement.objects.published().for_region(province).query).upper()

    assert "DISTINCT" not in sql and " OR " not in sql
    assert sql.count("JOIN") == 1 and "COOPERATION_AGREEMENTREGION" in sql


@pytest.mark.postgresql  # PostgreSQL's query plan
def test_on_postgresql_the_region_filter_uses_the_links_index(banten, make_agreement):
    for _ in range(3):
        make_agreement(parties=[banten])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Agreement.objects.published().for_region(banten.region.province).explain()

    assert "agreement_region_once" in plan
    assert "Unique" not in plan and "HashAggregate" not in plan


def test_upgrading_renames_the_capitals_province_and_its_agreements_search_words(
    make_province, make_agreement
):
    from django.apps import apps

    from cooperation.apps import fill_missing_derived_data

    renaming = importlib.import_module("cooperation.migrations.0016_capital_province_renamed")
    jakarta = make_province(code="31", name="Daerah Khusus Ibukota Jakarta")
    agreement = make_agreement(venue="Balai Kota", venue_region=jakarta)
    assert list(Agreement.objects.search("ibukota")) == [agreement]

    renaming.forwards(apps, None)
    fill_missing_derived_data(using="default")  # what migrate does at its end

    jakarta.refresh_from_db()
    assert str(jakarta) == "Provinsi Daerah Khusus Jakarta"
    assert list(Agreement.objects.search("ibukota")) == []
    assert list(Agreement.objects.search("jakarta")) == [agreement]
    call_command("rebuild_derived", "--check", stdout=io.StringIO())
    renaming.backwards(apps, None)
    fill_missing_derived_data(using="default")
    assert list(Agreement.objects.search("ibukota")) == [agreement]
