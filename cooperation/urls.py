from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("cooperation.region_urls")),
    path("", include("cooperation.app_urls")),
]

from .health import healthz  # noqa: E402  (health check route, kept last)

urlpatterns += [path("healthz", healthz, name="healthz")]
