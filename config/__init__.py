"""The project's roof: settings, the URL map and the WSGI/ASGI entry points.

Nothing imports from here except Django itself (``DJANGO_SETTINGS_MODULE``,
``ROOT_URLCONF``) and the process managers (gunicorn). The apps below it are listed
in ``docs/architecture.md``.
"""
