from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Readers' login (staff or not), for CATALOGUE_LOGIN_REQUIRED; the admin keeps its own.
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("api/", include("cooperation.api.urls")),
    path("", include("cooperation.region_urls")),
    path("", include("cooperation.app_urls")),
]

from .health import healthz  # noqa: E402  (health check route, kept last)

urlpatterns += [path("healthz", healthz, name="healthz")]
