"""Files kept with an agreement: signed texts, annexes, minutes, photos."""

import uuid
from functools import partial

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import AgreementPartManager

MAX_DOCUMENT_SIZE = 20 * 1024 * 1024

# The first bytes of each accepted kind of file: checked on the content, never the file name.
DOCUMENT_SIGNATURES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}


DOCUMENT_CONTENT_TYPES = [content_type for content_type, _ext in DOCUMENT_SIGNATURES.values()]


def sniff_document(file):
    """The (content type, extension) of an accepted document, or None."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    for signature, kind in DOCUMENT_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def is_new_upload(file):
    """True for a file being uploaded now; False for one already stored (re-saving a record
    must not read the stored file, which may even be missing from disk)."""
    return not getattr(file, "_committed", False)


def validate_document_file(file):
    if not is_new_upload(file):
        return
    if file.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("The file is %(size)s MB; documents may be at most 20 MB."),
            code="too_large",
            params={"size": round(file.size / (1024 * 1024), 1)},
        )
    if sniff_document(file) is None:
        raise ValidationError(
            _("Only PDF, PNG and JPEG files are accepted; this file's content is none of these."),
            code="file_type",
        )


def document_upload_to(instance, filename):
    """A generated name: the uploader's file name is never used on disk."""
    _content_type, extension = sniff_document(instance.file) or ("", "bin")
    return f"documents/{uuid.uuid4().hex}.{extension}"


class DocumentManager(AgreementPartManager):
    # The stored name is generated (a random UUID), so it identifies the document.
    key_fields = ["file"]


class DocumentType(models.TextChoices):
    SIGNED_TEXT = "signed_text", _("signed text")
    ANNEX = "annex", _("annex")
    MINUTES = "minutes", _("minutes")
    PHOTO = "photo", _("photo of the signing")
    OTHER = "other", _("other")


class Document(models.Model):
    """A file kept with an agreement: the signed text, an annex, minutes, photos of the signing."""

    Type = DocumentType

    agreement = models.ForeignKey(
        "cooperation.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=document_upload_to,
        max_length=200,
        validators=[validate_document_file],
        help_text=_("PDF, PNG or JPEG, at most 20 MB."),
    )
    content_type = models.CharField(_("content type"), max_length=50, editable=False)
    evaluation = models.ForeignKey(
        "cooperation.Evaluation",
        verbose_name=_("evidence of the evaluation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_("The evaluation of this agreement this document is evidence for, if any."),
    )

    history = HistoricalRecords()
    objects = DocumentManager()

    class Meta:
        ordering = ["agreement", F("date").asc(nulls_last=True), "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=DocumentType.values),
                name="document_type_valid",
                violation_error_message=_("Choose a valid type of document."),
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=DOCUMENT_CONTENT_TYPES),
                name="document_content_type_valid",
                violation_error_message=_("Only PDF, PNG and JPEG files are accepted."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cooperation:document_download", args=[self.pk])

    def natural_key(self):
        return (self.agreement.slug, self.file.name)

    natural_key.dependencies = ["cooperation.agreement"]

    @property
    def download_name(self):
        """A safe file name for the download: the title as a slug, and the extension of the
        content type (never the uploader's file name)."""
        extension = next(
            (ext for kind, ext in DOCUMENT_SIGNATURES.values() if kind == self.content_type), "bin"
        )
        return f"{slugify(self.title)[:100] or 'document'}.{extension}"

    def clean(self):
        super().clean()
        if self.evaluation_id and self.evaluation.agreement_id != self.agreement_id:
            raise ValidationError({"evaluation": _("Choose an evaluation of the same agreement.")})
        if self.file and is_new_upload(self.file):
            kind = sniff_document(self.file)
            if kind:
                self.content_type = kind[0]


# --- Files of removed documents ---------------------------------------------------------------
# Storage housekeeping, not domain logic: it must follow every way a document is deleted or its
# file replaced (the agreement page, the document's page, a bulk delete, the code), so it hangs
# on the model's signals. Files go only once the transaction has committed (a rolled-back save
# keeps them), and only when no document refers to them any more. A document deleted together
# with its agreement keeps its file: restoring the agreement from its history brings the
# document back (cooperation.services.agreement_restore_parts), and it must download again.


@receiver(pre_save, sender=Document)
def _remember_the_stored_file(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._stored_file = (
        sender._base_manager.filter(pk=instance.pk).values_list("file", flat=True).first()
    )


@receiver(post_save, sender=Document)
def _remove_a_replaced_file(sender, instance, raw=False, **kwargs):
    previous = getattr(instance, "_stored_file", None)
    if previous and previous != instance.file.name:
        transaction.on_commit(partial(remove_unused_file, previous))


@receiver(post_delete, sender=Document)
def _remove_a_deleted_document_s_file(sender, instance, **kwargs):
    if instance.file:
        transaction.on_commit(
            partial(remove_unused_file, instance.file.name, agreement_id=instance.agreement_id)
        )


def remove_unused_file(name, agreement_id=None):
    """Delete a stored file no document refers to, unless its document went with its agreement
    (``agreement_id`` no longer exists)."""
    from .agreements import Agreement

    if Document._base_manager.filter(file=name).exists():
        return
    if agreement_id is not None and not Agreement._base_manager.filter(pk=agreement_id).exists():
        return
    Document._meta.get_field("file").storage.delete(name)
