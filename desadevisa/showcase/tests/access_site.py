"""Who may reach the public site's own addresses: everyone, signed in or not."""

from desadevisa.core.tests.matrix import Public

PATTERNS = {
    "showcase:home": Public(),
    "showcase:village-list": Public(),
    # Any village's page needs its profile to be public; an unknown code answers 404.
    "showcase:village": Public(status=404, kwargs={"code": "99.99.99.9999"}),
    "showcase-root:sitemap": Public(),
    "showcase-root:sitemap-section": Public(kwargs={"section": "pages"}),
    "showcase-root:robots": Public(),
    # Only photos of public products and villages are served; there is none here.
    "showcase-root:photo": Public(
        status=404, kwargs={"kind": "product", "pk": "1", "rendition": "card"}
    ),
}
