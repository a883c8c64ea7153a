from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("desadevisa.core.urls")),
    path("", include("desadevisa.showcase.root_urls")),
    path("regions/", include("desadevisa.regions.urls")),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("desadevisa.showcase.urls")),
    path("", include("desadevisa.inquiries.public_urls")),
    path("accounts/", include("desadevisa.accounts.urls")),
    path("audit/", include("desadevisa.audit.urls")),
    path("registry/", include("desadevisa.registry.urls")),
    path("catalog/", include("desadevisa.catalog.urls")),
    path("exports/", include("desadevisa.exports.urls")),
    path("imports/", include("desadevisa.imports.urls")),
    path("programme/", include("desadevisa.nominations.urls")),
    path("verify/", include("desadevisa.nominations.public_urls")),
    path("inbox/", include("desadevisa.notifications.urls")),
    path("verification/", include("desadevisa.verification.urls")),
    path("support/", include("desadevisa.support.urls")),
    path("showcase/exhibitions/", include("desadevisa.showcase.exhibition_urls")),
    path("inquiries/", include("desadevisa.inquiries.urls")),
)

handler400 = "desadevisa.core.views.bad_request"
handler403 = "desadevisa.core.views.permission_denied"
handler404 = "desadevisa.core.views.page_not_found"
handler500 = "desadevisa.core.views.server_error"
