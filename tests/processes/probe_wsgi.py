"""The production application, each response naming the worker process that answered (X-Worker-Pid)."""

import os

from livinglab.wsgi import application as site


def application(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info)

    return site(environ, start)
