from django.contrib import admin
from django.urls import include, path

# An /api/ address that matches no route answers JSON (withhold.core.api.not_found).
handler404 = "withhold.core.api.not_found"

urlpatterns = [
    path("", include("withhold.workday.urls")),
    path("accounts/", include("withhold.accounts.urls")),
    path("cases/", include("withhold.cases.urls")),
    path("entities/", include("withhold.entities.urls")),
    path("api/", include("withhold.api_urls")),
    path("", include("withhold.intake.urls")),
    path("", include("withhold.orders.urls")),
    path("", include("withhold.evidence.urls")),
    path("", include("withhold.detentions.urls")),
    path("screening/", include("withhold.screening.urls")),
    path("notices/", include("withhold.notices.urls")),
    path("performance/", include("withhold.performance.urls")),
    path("data-quality/", include("withhold.quality.urls")),
    path("workforce/", include("withhold.workforce.urls")),
    path("", include("withhold.uflpa_statistics.urls")),
    path("", include("withhold.operations.urls")),
    path("", include("withhold.core.urls")),
    path("admin/", admin.site.urls),
]
