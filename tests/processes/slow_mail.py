"""An e-mail backend for tests/processes: Django's file backend, one second slower per message, so two processes
sending the same digest are both inside `send_digests` at once."""

import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def send_messages(self, email_messages):
        time.sleep(1)
        return super().send_messages(email_messages)
