import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

application = get_wsgi_application()

from desadevisa.core.checks import production_start_refuse  # noqa: E402  (needs the apps loaded)

production_start_refuse()
