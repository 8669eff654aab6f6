"""Security headers for responses that bypass the middleware stack."""

from csp.utils import build_policy
from django.conf import settings


def static_file_headers(headers, path, url):
    """WhiteNoise answers static files before the CSP and X-Frame-Options middleware run.

    Give them the same policy as pages, so that a static SVG opened on its own cannot run script
    or be framed.
    """
    headers["Content-Security-Policy"] = build_policy()
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
