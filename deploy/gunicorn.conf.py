"""Gunicorn for Living Lab: `gunicorn -c deploy/gunicorn.conf.py` (docs/deploy.md).

Several synchronous worker processes behind nginx (which buffers slow clients); every value can be changed from
the environment without editing this file.
"""

import multiprocessing
import os

wsgi_app = "livinglab.wsgi:application"

# Only the proxy may reach gunicorn: Django trusts its X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER). Loopback when
# nginx runs on the same machine; a private address (and a firewall) when a load balancer talks to it directly.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# WEB_CONCURRENCY is gunicorn's own name for the number of workers; by default 2 × cores + 1.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# The proxies whose X-Forwarded-* headers gunicorn believes (its own default: loopback only).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# A worker silent for this long is killed and replaced: generous for the CSV exports and 20 MB uploads, short
# enough that a stuck request does not hold a worker for minutes.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Workers are renewed after a while, so a slow leak cannot grow for weeks.
max_requests = 2000
max_requests_jitter = 200

# No control socket (gunicorn's runtime control interface, in $HOME by default): systemd's signals are enough.
control_socket_disable = True

# Logs to stdout/stderr: journald (systemd) or the platform collects them. The access log names the client the
# proxy saw (X-Forwarded-For), then the proxy, and ends with the time taken in milliseconds.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
