from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True),
         name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/", include("accounts.urls")),
    path("bahasa/", set_language, name="set_language"),
    path("", include("casework.urls")),
    path("eskalasi/", include("escalation.urls")),
    path("notifikasi/", include("notifications.urls")),
    path("excel/", include("excel.urls")),
    path("", include("ops.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Tindak Lanjut · Admin"
admin.site.site_title = "Tindak Lanjut"
admin.site.index_title = "Administrasi program"
