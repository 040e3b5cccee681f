"""Authentication backends for the test settings only."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in that comes with a request (the admin's login form).

    Django's test client's `login()` authenticates without a request, which axes refuses with an error; here it
    goes on to the password check as it would without axes. Production uses axes' backend itself."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
