"""System checks of the deployment: run at every start and by ``check --deploy``."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from desadevisa.core.site import is_local_address


def is_production() -> bool:
    """Production is DEBUG off on a database other than SQLite (PostgreSQL in DATABASE_URL)."""
    engine = settings.DATABASES["default"]["ENGINE"]
    return not settings.DEBUG and not engine.endswith("sqlite3")


def site_url_errors() -> list[Error]:
    """SITE_URL must be an http(s) address that people can reach, not this machine's."""
    if is_local_address(settings.SITE_URL) or not settings.SITE_URL.startswith(
        ("https://", "http://")
    ):
        return [
            Error(
                _(
                    "SITE_URL is “%(url)s”: QR codes, printed cards, certificates and e-mails "
                    "would send people to an address they cannot reach."
                )
                % {"url": settings.SITE_URL},
                hint=_("Set SITE_URL to the public address, e.g. https://desadevisa.go.id."),
                id="desadevisa.E001",
            )
        ]
    return []


@register()
def site_url_check(app_configs, **kwargs) -> list[Error]:
    """At every start of a production server (DEBUG off, PostgreSQL)."""
    return site_url_errors() if is_production() else []


@register(Tags.security, deploy=True)
def site_url_deploy_check(app_configs, **kwargs) -> list[Error]:
    """Under ``check --deploy`` whatever the database, unless production already reported it."""
    return [] if is_production() else site_url_errors()


def production_start_refuse() -> None:
    """Stop a production server's start (the WSGI application) on the errors above."""
    if errors := site_url_check(None):
        raise ImproperlyConfigured(f"{errors[0].id}: {errors[0].msg} {errors[0].hint}")
