"""Pagination at national scale, for the catalogue's lists and the admin's changelists alike
(``cooperation`` imports it from here: ``regions`` never imports from ``cooperation``)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Lists count their rows up to this many (beyond the page asked for): above it a list says
# "more than 1,000", which costs a bounded read where an exact count of 90,000 search results
# or a province's agreements reads them all (README, Performance).
COUNT_LIMIT = 1000


class CappedCountPaginator(Paginator):
    """A paginator that counts at most ``count_limit`` rows, or as many as the requested page
    needs plus one: ``SELECT COUNT(*) FROM (SELECT id ... LIMIT n)``. ``is_capped`` says that
    there are more; ``count`` and ``num_pages`` then cover only what was counted, so the page
    after the last counted one still has a "next" link, and each page counts a little further."""

    count_limit = COUNT_LIMIT

    def validate_number(self, number):
        if "count" not in self.__dict__:
            self.requested = number  # the first page asked for sets how far to count
        return super().validate_number(number)

    @cached_property
    def count(self):
        try:
            # A page number past any catalogue counts everything (a LIMIT the database holds).
            number = min(max(1, int(getattr(self, "requested", 1))), 10**6)
        except (TypeError, ValueError, OverflowError):
            number = 1
        limit = max(self.count_limit, number * self.per_page)
        rows = self.object_list
        if hasattr(rows, "values"):
            counted = rows.order_by().values("pk")[: limit + 1].count()
        else:
            counted = len(rows[: limit + 1])
        self.is_capped = counted > limit
        self.counted_up_to = limit
        return counted

    is_capped = False
