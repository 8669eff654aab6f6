from rest_framework.pagination import PageNumberPagination

from cooperation.views import PAGE_SIZE


class PagePagination(PageNumberPagination):
    """Pages of the same size, and with the same ``page`` parameter, as the catalogue's lists."""

    page_size = PAGE_SIZE
