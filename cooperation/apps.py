from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Cooperation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401  (connects the derived-data receivers)

        post_migrate.connect(fill_missing_derived_data, sender=self)


def fill_missing_derived_data(using, **kwargs):
    """After ``migrate``: agreements saved before derived data existed (or by a bulk load
    without the rebuild) get theirs, so an upgraded catalogue needs no extra step."""
    from .derived import agreements_refresh
    from .models import Agreement

    missing = Agreement.objects.using(using).filter(search_document__isnull=True)
    agreements_refresh(missing.values_list("pk", flat=True))
