"""Security headers, and the HTTPS-only settings of a production deployment, pulled into settings.py.

Split out of settings.py to keep each module under 400 lines (issue 10); values are unchanged.
"""

from __future__ import annotations

import os

from .settings_base import PRODUCTION, env_bool, env_list

# --- Security headers ---------------------------------------------------------
# Strict Content-Security-Policy (django-csp 4 format): no inline script or
# style anywhere, so every directive is 'self' or nothing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
# Result pages carry a secret token in their address: never send it on.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
CSRF_FAILURE_VIEW = "clinic_site.views.csrf_failure"

if PRODUCTION:
    # HTTPS only. Behind a TLS-terminating proxy (nginx, a load balancer) set
    # TRUST_X_FORWARDED_PROTO=1 so Django knows the original request was HTTPS;
    # the proxy must overwrite that header, never pass on the client's.
    if env_bool("TRUST_X_FORWARDED_PROTO"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # The load balancer's health check may come over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # __Host- cookies: HTTPS only, no Domain, Path=/; a sibling subdomain cannot set or read them.
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    CSRF_COOKIE_HTTPONLY = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
