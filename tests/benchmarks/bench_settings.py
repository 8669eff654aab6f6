"""Settings for the benchmark's gunicorn: the production settings (read from the environment,
as in production) plus a middleware that counts each request's database queries."""

from cooperation.settings import *  # noqa: F403
from cooperation.settings import MIDDLEWARE

# Outermost, so that it counts everything: sessions, authentication, rendering.
MIDDLEWARE = ["tests.benchmarks.middleware.QueryCountMiddleware", *MIDDLEWARE]
