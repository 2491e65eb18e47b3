"""Security headers that Django's own middlewares don't set, on every response and on static files.

Django's SecurityMiddleware gives HSTS, ``X-Content-Type-Options``, ``Referrer-Policy``
and ``Cross-Origin-Opener-Policy``; its CSP middleware the ``Content-Security-Policy``;
the clickjacking middleware ``X-Frame-Options``. This adds ``Permissions-Policy`` and
``Cross-Origin-Resource-Policy`` (settings ``PERMISSIONS_POLICY`` and
``CROSS_ORIGIN_RESOURCE_POLICY``).

Static files are answered by WhiteNoise, which sits above the CSP and clickjacking
middlewares: ``add_static_file_headers`` (``WHITENOISE_ADD_HEADERS_FUNCTION``) gives
them the same policy, frame refusal and headers. An SVG opened on its own is a document
that could run script; the policy keeps it from doing so.
"""

from django.conf import settings
from django.utils.csp import build_policy


def extra_security_headers():
    return {
        "Permissions-Policy": settings.PERMISSIONS_POLICY,
        "Cross-Origin-Resource-Policy": settings.CROSS_ORIGIN_RESOURCE_POLICY,
    }


class SecurityHeadersMiddleware:
    """Add ``Permissions-Policy`` and ``Cross-Origin-Resource-Policy`` where a view did not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in extra_security_headers().items():
            response.headers.setdefault(name, value)
        return response


def add_static_file_headers(headers, path, url):
    """WhiteNoise's hook: static files get the site's CSP (without a nonce), frame refusal and the headers above."""
    if settings.SECURE_CSP:
        headers["Content-Security-Policy"] = build_policy(settings.SECURE_CSP)
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    for name, value in extra_security_headers().items():
        headers[name] = value
