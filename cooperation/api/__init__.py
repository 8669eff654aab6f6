"""The read-only open-data API under /api/ (Django REST framework, drf-spectacular).

Why DRF and not django-ninja: django-filter's DRF backend runs our own FilterSets
(``cooperation.filters``) unchanged, so the API takes the pages' query parameters and returns
the pages' rows by construction, and drf-spectacular documents those filters in the OpenAPI
schema from the same classes. django-ninja would need the filters declared again as Schemas.
"""
