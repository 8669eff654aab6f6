"""Who publishes the catalogue (one row, set by an administrator) and the version of the
catalogue's data (one row, bumped on every write: cached aggregates are keyed by it)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

SINGLETON_PK = 1


class SiteIdentity(models.Model):
    """The bureau that publishes the catalogue: its name, government, logo, contact and the
    licence of the data. One row; what it leaves blank comes from settings
    (``CATALOGUE_IDENTITY``). Read it through ``cooperation.identity.catalogue_identity()``."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_PK, editable=False)
    bureau_name = models.CharField(
        _("bureau name"),
        max_length=200,
        blank=True,
        help_text=_("The unit that keeps the catalogue: Biro Pemerintahan dan Otonomi Daerah."),
    )
    government_name = models.CharField(
        _("government name"),
        max_length=200,
        blank=True,
        help_text=_("The government the bureau belongs to: Pemerintah Provinsi Banten."),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="identity/",
        blank=True,
        help_text=_("PNG or JPEG, shown in the header and on printouts; about 200 px high."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    licence_name = models.CharField(
        _("data licence"),
        max_length=100,
        blank=True,
        help_text=_("The licence of the catalogue's data, shown in the footer: CC BY 4.0."),
    )
    licence_url = models.URLField(_("licence address"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("catalogue identity")
        verbose_name_plural = _("catalogue identity")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=SINGLETON_PK),
                name="site_identity_single_row",
                violation_error_message=_("The catalogue has one identity."),
            ),
        ]

    def __str__(self):
        return self.bureau_name or str(_("Catalogue identity"))


class DataVersion(models.Model):
    """A number that grows with every write to the catalogue (``cooperation.caching``)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_PK, editable=False)
    number = models.PositiveBigIntegerField(_("number"), default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")
        constraints = [
            models.CheckConstraint(condition=Q(id=SINGLETON_PK), name="data_version_single_row"),
        ]

    def __str__(self):
        return str(self.number)
