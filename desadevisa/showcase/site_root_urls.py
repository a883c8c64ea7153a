"""The public site's addresses without a language prefix: sitemap, robots.txt, photos."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.http import require_safe

from desadevisa.showcase import views
from desadevisa.showcase.caching import public_page
from desadevisa.showcase.sitemaps import SITEMAPS, sitemap_index

# The sitemap's own views mark it ``X-Robots-Tag: noindex``; marked again outside the cache so
# that a copy served from it says so too.
urlpatterns = [
    path(
        "sitemap.xml",
        require_safe(sitemap_views.x_robots_tag(public_page(sitemap_index))),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "showcase-root:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<str:section>.xml",
        require_safe(sitemap_views.x_robots_tag(public_page(sitemap_views.sitemap))),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_view, name="robots"),
    path(
        "showcase/photos/<str:kind>/<int:pk>/<str:rendition>.jpg",
        views.photo_view,
        name="photo",
    ),
]
