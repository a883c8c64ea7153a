"""Showcase addresses without a language prefix: sitemap, robots.txt, public photos, QR scans."""

from desadevisa.showcase import scan_urls, site_root_urls

app_name = "showcase-root"

urlpatterns = [
    *site_root_urls.urlpatterns,
    *scan_urls.urlpatterns,
]
