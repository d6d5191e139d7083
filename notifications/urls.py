from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/buka/", views.notification_open, name="open"),
    path("<int:pk>/dibaca/", views.notification_read, name="read"),
    path("tandai-semua-dibaca/", views.notification_read_all, name="read_all"),
    path("pengaturan/", views.preferences, name="preferences"),
]
