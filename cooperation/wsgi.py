"""WSGI entry point: `gunicorn cooperation.wsgi`."""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, the URLconf and every view it imports) lives as long
# as the worker: gc.freeze() keeps Python's full garbage collections from walking it again on
# every few requests. That cut a list page's CPU time by about a tenth (34 → 30 ms in-process
# on the benchmark's 100,000 agreements, `tests/benchmarks/profile_pages.py`).
import_module(settings.ROOT_URLCONF)
gc.freeze()
