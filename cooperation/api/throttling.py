from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from cooperation.access import client_ip_address


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous callers get ``API_ANONYMOUS_RATE`` requests, counted per address as the login
    lockout counts them (``DJANGO_TRUSTED_PROXY_COUNT``); logged-in staff are not limited."""

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE

    def get_ident(self, request):
        return client_ip_address(request)
