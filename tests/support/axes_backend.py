"""django-axes' lockout backend, made tolerant of Django's test client for the test settings only.

``Client.login(username=..., password=...)`` calls ``authenticate()`` without a request, which the
real ``AxesStandaloneBackend`` refuses (it needs the request for the client address). Every
request that reaches the app over HTTP — the login page, the admin login — still passes through
the real check here, so the lockout tests in ``tests/security/test_login_lockout.py`` prove the
real behaviour; only the test client's shortcut skips the lockout check.
"""
from axes.backends import AxesStandaloneBackend


class TestClientAxesBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None  # the test client's login(): no address to lock, let ModelBackend decide
        return super().authenticate(request, username=username, password=password, **kwargs)
