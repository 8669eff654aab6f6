from cooperation.models import Agreement


def test_default_agreement_between_two_regions_is_ksdd(make_agreement):
    agreement = make_agreement()
    assert Agreement.objects.with_category().get(pk=agreement.pk).category == "KSDD"
