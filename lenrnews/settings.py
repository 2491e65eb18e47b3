"""Settings for lenrnews, read from the environment with development defaults.

Production (``DEBUG`` off) refuses to start without a real ``SECRET_KEY`` and
turns on the HTTPS and cookie hardening that ``manage.py check --deploy`` asks for.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Development is the default; production sets DEBUG=0 (see .env.example).
DEBUG = env.bool("DEBUG", default=True)
DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off.")

LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=LOCAL_HOSTS if DEBUG else [])
if DEBUG and any(host not in LOCAL_HOSTS for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured("DEBUG must be off when ALLOWED_HOSTS names a public host.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_NAME = "lenrnews"

INSTALLED_APPS = [
    "portal.apps.NewsroomAdminConfig",  # django.contrib.admin with the editors' dashboard as its home
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "simple_history",
    "lenrnews",
    "organizations",
    "articles",
    "investments",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "lenrnews.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # ETag from the body and 304 for a matching If-None-Match, on pages, the API and cache hits alike.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A 404 for an entity's old slug becomes a 301 to its current address (lenrnews/slugs.py).
    "lenrnews.slugs.OldAddressRedirectMiddleware",
    # The old site's addresses (a WordPress import's permalinks) answer 301 with our pages.
    "articles.redirects.OldSiteRedirectMiddleware",
    # Last, so a cached response still passes through every middleware above (lenrnews/cache.py).
    "lenrnews.cache.PageCacheMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "lenrnews.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "lenrnews.wsgi.application"

# `make demo` serves a database of made-up data: every page says so.
SYNTHETIC_DATA = env.bool("SYNTHETIC_DATA", default=False)

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'lenrnews.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for long analytical queries; for a page's short queries
    # it only adds compile time (200 ms on the home page's query in benchmarks/).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # optimize=0x10002: re-analyze any table whose size changed a lot since its
            # statistics were gathered (lenrnews/planner.py).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA optimize=0x10002;",
            "timeout": 20,
            # A transaction takes the write lock when it starts, so two workers writing at once
            # (the login lockout's counts) wait for each other instead of failing "database is locked".
            "transaction_mode": "IMMEDIATE",
        }
    )

# --- Cache: one truth across processes (README "Production") ---
# Page cache, API throttles and invalidation tokens must be shared by every worker: with a
# cache per process, a write through one worker leaves the others serving old pages and
# each worker grants the full rate limit. So with DEBUG off a per-process cache is refused
# unless ALLOW_PER_PROCESS_CACHE says there is a single process (or a benchmark).
REDIS_URL = env.str("REDIS_URL", default="")
ALLOW_PER_PROCESS_CACHE = env.bool("ALLOW_PER_PROCESS_CACHE", default=False)
if REDIS_URL:
    CACHES = {
        "default": {
            # Answers as an empty cache while Redis is refused or hung (lenrnews/cache_backends.py):
            # a command gets 0.1 s, then the process stops asking for CIRCUIT_COOLDOWN seconds.
            "BACKEND": "lenrnews.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
            "CIRCUIT_COOLDOWN": 30,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if not DEBUG and not ALLOW_PER_PROCESS_CACHE:
        raise ImproperlyConfigured(
            "REDIS_URL must be set when DEBUG is off: the in-process cache is not shared between workers, so they "
            "would serve stale pages and multiply the rate limits. Set ALLOW_PER_PROCESS_CACHE=1 only for a "
            "single process."
        )

# Whole pages and API reads for anonymous readers (lenrnews/cache.py): the longest an
# entry lives, in seconds; 0 turns the page cache off. Off by default in development (a
# template edit shows at once); the test settings (lenrnews/settings_test.py) turn it off too.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0 if DEBUG else 300)

# Background tasks (django.tasks): detecting mentions again after an entity or an alias
# is added, and the newsroom's notification mail. Development and tests run them at once
# (ImmediateBackend); production stores them in the database for `manage.py db_worker`
# (`make worker`) to run.
INSTALLED_APPS.append("django_tasks_db")
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default="django.tasks.backends.immediate.ImmediateBackend" if DEBUG else "django_tasks_db.DatabaseBackend",
        ),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))  # Where collectstatic writes.
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded images (lenrnews/media.py): a folder under var/ by default, served by the site
# (portal/urls.py); an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set (install
# django-storages[s3]; AWS_S3_ENDPOINT_URL for another provider, AWS_S3_CUSTOM_DOMAIN for a CDN).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
DEFAULT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    if AWS_STORAGE_BUCKET_NAME
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Newsroom tools (docs/newsroom.md, "Newsroom tools"): the limits on what an import reads.
# A WordPress export (WXR) larger than this is refused before it is parsed.
WORDPRESS_IMPORT_MAX_BYTES = env.int("WORDPRESS_IMPORT_MAX_BYTES", default=200 * 1024 * 1024)
# A CSV file imported in the admin: at most this many bytes (about 5,000 organizations).
SPREADSHEET_IMPORT_MAX_BYTES = env.int("SPREADSHEET_IMPORT_MAX_BYTES", default=1024 * 1024)

# The REST API (portal/api.py). Token authentication comes first so that an
# unauthenticated write is a 401 with WWW-Authenticate, not a 403.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lenrnews.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["lenrnews.filters.APIFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "lenrnews.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "lenrnews.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "lenrnews.throttles.AnonRateThrottle",
        "lenrnews.throttles.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "lenrnews API",
    "DESCRIPTION": "Articles, organizations, people, technologies and deals of the LENR field. "
    "Anyone may read; writing needs a token (`Authorization: Token <key>`) or a session, and the model "
    "permission. Related entities read as `{slug, name, url}` and are written by slug; sources are written by id.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ConfidenceEnum": "lenrnews.models.Confidence",
        "DatePrecisionEnum": "lenrnews.models.DatePrecision",
        "OrganizationKindEnum": "organizations.models.Organization.Kind",
        "StakeKindEnum": "organizations.models.TechnologyStake.Kind",
        "InvestmentKindEnum": "investments.models.Investment.Kind",
        "ArticleStatusEnum": "articles.models.Article.Status",
        "EventKindEnum": "investments.models.Event.Kind",
        "DealStatusEnum": "investments.models.Investment.Status",
        "SourceKindEnum": "articles.models.Source.Kind",
        "DeletionKindEnum": "lenrnews.models.Deletion.Kind",
        "LinkKindEnum": "portal.api.LINK_KIND_CHOICES",
    },
}

# --- API errors: always JSON (lenrnews/api_errors.py), from bodies parsed strictly (lenrnews/parsers.py) ---
REST_FRAMEWORK |= {
    "EXCEPTION_HANDLER": "lenrnews.api_errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "lenrnews.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "lenrnews.parsers.MultiPartParser",
    ],
}
# The docs' init script is a file of its own (SpectacularSwaggerSplitView), so the CSP needs no
# inline script; no validator badge, an image from another host.
SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"] = {"deepLinking": True, "validatorUrl": None}

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# ---------------------------------------------------------------------------------------------
# Authentication: login lockout (django-axes), failed API tokens, the auth log.
# How it fits together: lenrnews/authentication.py; what to run in production: README
# "Production: login lockout". Kept in one block so the whole setup reads in one place.
# ---------------------------------------------------------------------------------------------
INSTALLED_APPS += ["axes"]
# A locked-out login POST is answered before the login view runs; Axes' middleware turns a
# login its backend refused into the lockout response. Both go last.
MIDDLEWARE += ["lenrnews.authentication.RefuseLockedOutLogins", "axes.middleware.AxesMiddleware"]
# Axes' backend comes first: it refuses a locked-out attempt before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "lenrnews.authentication.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failures are counted in the database, so every worker and server sees the same counts.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Locked out per account and per client address, each on its own.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
# Attempts during a lockout are refused without being recorded: no write, and the lock ends
# LOGIN_LOCKOUT_MINUTES after the last counted failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Each failure is also kept in the admin's "Access failures" (the latest 1,000 per account).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "lenrnews.authentication.lockout_response"
AXES_CLIENT_IP_CALLABLE = "lenrnews.authentication.client_address"
# Wrong API tokens per client address (a DRF rate) before every token from it is answered 429.
# The test settings raise it: schemathesis sends thousands of generated tokens.
API_TOKEN_FAILURES = env.str("API_TOKEN_FAILURES", default="10/hour")
LOGGING.setdefault("loggers", {})["lenrnews.auth"] = {"level": env.str("AUTH_LOG_LEVEL", default="INFO")}
# ---------------------------------------------------------------------------------------------

# Mail (the newsroom's notifications, sent by a background task): printed on the console in
# development, SMTP in production. The server comes from EMAIL_URL
# (smtp+tls://user:password@host:587, smtp+ssl://...:465) or from EMAIL_HOST, EMAIL_PORT,
# EMAIL_USER, EMAIL_PASSWORD and EMAIL_USE_TLS (or EMAIL_USE_SSL).
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
if env.str("EMAIL_URL", default=""):
    _mail = env.email_url("EMAIL_URL")
else:
    _mail = {
        "EMAIL_BACKEND": env.str(
            "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend" if DEBUG else SMTP_BACKEND
        ),
        "EMAIL_HOST": env.str("EMAIL_HOST", default="localhost"),
        "EMAIL_PORT": env.int("EMAIL_PORT", default=25),
        "EMAIL_HOST_USER": env.str("EMAIL_USER", default=""),
        "EMAIL_HOST_PASSWORD": env.str("EMAIL_PASSWORD", default=""),
        "EMAIL_USE_TLS": env.bool("EMAIL_USE_TLS", default=False),
        "EMAIL_USE_SSL": env.bool("EMAIL_USE_SSL", default=False),
    }
MAILERS = {"default": {"BACKEND": _mail["EMAIL_BACKEND"]}}
if _mail["EMAIL_BACKEND"] == SMTP_BACKEND:
    MAILERS["default"]["OPTIONS"] = {
        "host": _mail["EMAIL_HOST"] or "localhost",
        "port": _mail["EMAIL_PORT"] or 25,
        "username": _mail["EMAIL_HOST_USER"] or "",
        "password": _mail["EMAIL_HOST_PASSWORD"] or "",
        "use_tls": bool(_mail.get("EMAIL_USE_TLS")),
        "use_ssl": bool(_mail.get("EMAIL_USE_SSL")),
        "timeout": env.int("EMAIL_TIMEOUT", default=20),
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="lenrnews newsroom <newsroom@localhost>")

# --- Security: on by default in production, off in development ---
# Reverse proxies in front of the app (README "Production"). Each appends the address it
# saw to X-Forwarded-For; the throttles (DRF's NUM_PROXIES) read the one the nearest trusted
# proxy added, and X-Forwarded-Proto is believed only when a proxy is configured to set it.
# With 0 the app must be reached directly: the headers are a client's to forge.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("TRUSTED_PROXIES is a number of proxies: 0 or more.")
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXIES
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# Turning either off is a decision (a subdomain still on plain HTTP, no preload list), not an oversight.
SILENCED_SYSTEM_CHECKS = []
if "SECURE_HSTS_INCLUDE_SUBDOMAINS" in env.ENVIRON and not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    SILENCED_SYSTEM_CHECKS.append("security.W005")
if "SECURE_HSTS_PRELOAD" in env.ENVIRON and not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django.middleware.csp): nothing from other hosts, no inline
# script or style without the request's nonce ({{ csp_nonce }} in templates), no plugins,
# no framing. Images: ours, data: URIs (Swagger UI's icons), and the hosts in CSP_IMG_HOSTS
# (over HTTPS), so an article's Markdown cannot make readers' browsers call a tracker.
CSP_IMG_HOSTS = env.list("CSP_IMG_HOSTS", default=[])
if any(not host or "/" in host or ":" in host for host in CSP_IMG_HOSTS):
    raise ImproperlyConfigured("CSP_IMG_HOSTS takes host names (images.example.org, *.example.org), no scheme or path.")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *(f"https://{host}" for host in CSP_IMG_HOSTS)],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Headers Django does not set itself (lenrnews/middleware.py), also on static files.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
CROSS_ORIGIN_RESOURCE_POLICY = env.str("CROSS_ORIGIN_RESOURCE_POLICY", default="same-origin")
if CROSS_ORIGIN_RESOURCE_POLICY not in ("same-origin", "same-site", "cross-origin"):
    raise ImproperlyConfigured("CROSS_ORIGIN_RESOURCE_POLICY is same-origin, same-site or cross-origin.")


def _static_file_headers(headers, path, url):
    from lenrnews.middleware import add_static_file_headers

    add_static_file_headers(headers, path, url)


WHITENOISE_ADD_HEADERS_FUNCTION = _static_file_headers
