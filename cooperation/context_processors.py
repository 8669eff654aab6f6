"""What every page's template may use besides the view's own context."""

from django.utils.functional import SimpleLazyObject

from .identity import catalogue_identity


def identity(request):
    """The publisher (``cooperation.identity``), for the header and the footer."""
    return {"identity": SimpleLazyObject(catalogue_identity)}
