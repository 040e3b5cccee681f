#!/bin/sh
# manage.py with the production environment, as the systemd units run it: `deploy/manage.sh migrate`.
# LIVINGLAB_ENV (default /etc/livinglab/env) and LIVINGLAB_PYTHON (default /srv/livinglab/venv/bin/python)
# point elsewhere when the site is installed elsewhere. docs/deploy.md
set -eu
env_file="${LIVINGLAB_ENV:-/etc/livinglab/env}"
python="${LIVINGLAB_PYTHON:-/srv/livinglab/venv/bin/python}"
set -a
. "$env_file"
set +a
cd "$(dirname "$0")/.."
exec "$python" manage.py "$@"
