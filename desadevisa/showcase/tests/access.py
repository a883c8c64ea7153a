"""Who may reach each showcase address: the public pages, the exhibitions' staff pages."""

from desadevisa.showcase.tests import access_catalog, access_exhibitions, access_site

PATTERNS = {**access_site.PATTERNS, **access_catalog.PATTERNS, **access_exhibitions.PATTERNS}
