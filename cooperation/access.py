"""Login lockout (django-axes): where a login comes from, and the page a locked user sees."""

import ipaddress
import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render


def client_ip_address(request):
    """The address a login comes from, for counting failures.

    Directly exposed, that is the connection's address. Behind TRUSTED_PROXY_COUNT reverse proxies
    that each append to X-Forwarded-For, it is the entry the outermost proxy added: anything left
    of it was written by the client and could be forged to dodge the lockout. An entry that is
    not an IP address (a misconfigured proxy, or fewer proxies than the setting says) is not
    trusted: the connection's address counts instead.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies and is_ip_address(forwarded[-proxies]):
            address = forwarded[-proxies]
    return address


def is_ip_address(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def lockout_response(request, original_response=None, credentials=None):
    """Say in the interface language that the login is locked, for how long, and what to do."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(request, "lockout.html", context, status=429)
