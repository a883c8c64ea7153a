"""The public showcase, under each language's prefix: no login, public data only."""

from desadevisa.showcase import catalog_urls, exhibition_public_urls, site_urls

app_name = "showcase"

urlpatterns = [
    *site_urls.urlpatterns,
    *catalog_urls.urlpatterns,
    *exhibition_public_urls.urlpatterns,
]
