from django.urls import path

from escalation.views import dashboard, inbox, policy, rakor, workspace

app_name = "escalation"
urlpatterns = [
    # Pokja chair / secretariat (and the programme admin)
    path("pokja/", inbox.inbox, name="inbox"),
    path("pokja/kasus/<int:pk>/tugaskan/", inbox.assign, name="assign"),
    path("pokja/kasus/<int:pk>/kembalikan/", inbox.send_back, name="send_back"),
    path("pokja/tugaskan-massal/", inbox.bulk_assign, name="bulk_assign"),
    path("rakor/", rakor.rakor, name="rakor"),
    path("rakor/catat/", rakor.rakor_create, name="rakor_create"),
    path("rakor/cetak/", rakor.rakor_print, name="rakor_print"),
    path("dasbor/", dashboard.dashboard, name="dashboard"),
    path("kebijakan/", policy.policy_edit, name="policy"),
    path("hari-libur/", policy.holidays, name="holidays"),
    path("hari-libur/tambah/", policy.holiday_create, name="holiday_create"),
    path("hari-libur/<int:pk>/hapus/", policy.holiday_delete, name="holiday_delete"),
    # OPD officers
    path("opd/", workspace.workspace, name="workspace"),
    path("opd/kasus/<int:pk>/<slug:action>/", workspace.act, name="workspace_act"),
]
