"""What the parts of an agreement share."""

from django.db import models


class AgreementPartManager(models.Manager):
    """Natural key of a part: the agreement's slug and the slug of what it links to."""

    key_fields = ()

    def get_by_natural_key(self, agreement_slug, *key):
        return self.get(
            agreement__slug=agreement_slug, **dict(zip(self.key_fields, key, strict=True))
        )
