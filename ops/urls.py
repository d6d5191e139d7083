from django.urls import path

from ops import views

app_name = "ops"

urlpatterns = [
    path("kesehatan/", views.health, name="health"),
]
