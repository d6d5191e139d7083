from django.urls import path

from casework.views import cases, meetings, plans, sheets

app_name = "casework"
urlpatterns = [
    path("rencana/", plans.plan_list, name="plan_list"),
    path("rencana/<int:pk>/", plans.plan_detail, name="plan_detail"),
    # Cases
    path("kasus/", cases.case_list_view, name="case_list"),
    path("kasus/<int:pk>/", cases.case_detail_view, name="case_detail"),
    path("kasus/<int:pk>/aksi/<slug:action>/", cases.case_action_view, name="case_action"),
    path("kasus/<int:pk>/terima/", cases.case_acknowledge_view, name="case_acknowledge"),
    path("kasus/<int:pk>/perkembangan/", cases.case_note_view, {"kind": "progress"}, name="case_progress"),
    path("kasus/<int:pk>/komentar/", cases.case_note_view, {"kind": "comment"}, name="case_comment"),
    path("kasus/<int:pk>/ubah/", cases.case_edit_view, name="case_edit"),
    # Meetings
    path("pertemuan/", meetings.meeting_list_view, name="meeting_list"),
    path("pertemuan/baru/", meetings.meeting_create_view, name="meeting_create"),
    path("pertemuan/<int:pk>/", meetings.meeting_detail_view, name="meeting_detail"),
    path("pertemuan/<int:pk>/ubah/", meetings.meeting_edit_view, name="meeting_edit"),
    path("pertemuan/<int:pk>/urutan/", meetings.meeting_order_view, name="meeting_order"),
    path("pertemuan/<int:pk>/siapkan/", meetings.meeting_prepare_view, name="meeting_prepare"),
    path("pertemuan/<int:pk>/finalkan/", meetings.meeting_finalise_view, name="meeting_finalise"),
    path("pertemuan/<int:pk>/tinjauan/", meetings.meeting_review_view, name="meeting_review"),
    path("pertemuan/<int:pk>/tinjauan/<int:case_id>/", meetings.meeting_review_case_view, name="meeting_review_case"),
    path("pertemuan/<int:pk>/desa/<int:desa_id>/", sheets.meeting_sheet_view, name="meeting_sheet"),
    path("pertemuan/<int:pk>/desa/<int:desa_id>/kendala/", sheets.meeting_record_view, name="meeting_record"),
    path("pertemuan/<int:pk>/desa/<int:desa_id>/pembelajaran/", sheets.meeting_lessons_view,
         name="meeting_lessons"),
    path("pertemuan/<int:pk>/tayang/<int:position>/", sheets.meeting_projector_view, name="meeting_projector"),
    path("pertemuan/<int:pk>/cetak/", sheets.meeting_print_view, name="meeting_print"),
    # The village copy of a finalised meeting: read-only, no login, the token is the key.
    path("bagikan/<str:token>/desa/<int:desa_id>/<str:key>/", sheets.shared_sheet_view, name="shared_sheet"),
]
