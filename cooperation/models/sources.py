"""The published reports that records cite, and the citations that link them to agreements."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regions.models import SlugManager, SlugNaturalKeyMixin

from .base import AgreementPartManager


class Source(SlugNaturalKeyMixin, models.Model):
    """A published report (usually a news article) that records in the catalogue cite."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    publisher = models.CharField(_("publisher"), max_length=200)
    headline = models.CharField(_("headline"), max_length=300)
    published_on = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Blank if the source does not say."),
    )
    url = models.URLField(
        _("URL"), max_length=500, blank=True, help_text=_("Only where it is known; never guessed.")
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = SlugManager()

    class Meta:
        ordering = ["publisher", "headline"]
        indexes = [models.Index(fields=["published_on"], name="source_published_on")]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return f"{self.publisher}: {self.headline}"


class CitationManager(AgreementPartManager):
    key_fields = ["source__slug"]


class Citation(models.Model):
    """A source that supports an agreement's record."""

    agreement = models.ForeignKey(
        "cooperation.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="citations",
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = CitationManager()

    class Meta:
        ordering = ["agreement", "id"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "source"],
                name="citation_once_per_agreement",
                violation_error_message=_("This source is already cited."),
            ),
        ]

    def __str__(self):
        return str(self.source)

    def natural_key(self):
        return (self.agreement.slug, self.source.slug)

    natural_key.dependencies = ["cooperation.agreement", "cooperation.source"]
