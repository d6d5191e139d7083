"""Account pages for the signed-in user (no namespace: Django's auth views reverse these names)."""
from django.urls import path

from accounts import views

urlpatterns = [
    path("kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("kata-sandi/selesai/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
