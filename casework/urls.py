from django.urls import path

from casework.views import plans

app_name = "casework"
urlpatterns = [
    path("rencana/", plans.plan_list, name="plan_list"),
    path("rencana/<int:pk>/", plans.plan_detail, name="plan_detail"),
]
