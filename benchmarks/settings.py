"""The page benchmark's settings: the product's, with the benchmark's URLconf (the product's pages
plus the two floors) and the parts of production that cost time per request.

DEBUG is off (with it on, Django keeps every query of every request in memory). The middleware
is the product's own list, unchanged. What differs from production, and why:
- no HTTPS redirect or secure cookies: the test client speaks plain HTTP in-process;
- "testserver" is an allowed host: it is the name the test client sends;
- the cache stays in-process (locmem): it holds only the sign-in rate limits, which no page
  here reads;
- e-mail goes to memory: the outbox sweep is timed up to the backend, not an SMTP server;
- the fast MD5 password hasher: it only speeds up building the data (nobody signs in by
  password during the timings; the clients are signed in once, before they are timed).
"""

from esafety.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = False
# The benchmark's own output is the table; request logging would only add noise to it.
LOGGING["root"]["level"] = "ERROR"  # noqa: F405
