"""WSGI entry point for production servers."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from pulso.core.proxies import behind_proxies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulso.settings")
application = behind_proxies(get_wsgi_application(), settings.PULSO_PROXY_COUNT)
