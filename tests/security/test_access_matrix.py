"""The access matrix: every URL of the app × every role × an object inside and outside the user's scope.

The URLs come from the URL conf itself (``tests.security.matrix.all_patterns``), so a view added
tomorrow fails ``test_it_has_an_expected_answer_for_every_url`` until its row is written here.

Each row gives, per variant of the object ("in": the objects of kecamatan A1 / kabupaten A,
"out": their twins in kabupaten B; "-": a URL without an object), one expected status per role in
the column order of ``ROLES``:

    anon  kec  kec_out  opd  opd_out  pokja  pokja_out  admin

kec = kecamatan A1 staff, kec_out = kecamatan A2 staff (same kabupaten), opd = the case's OPD,
opd_out = another OPD of kabupaten A, pokja = Pokja of A, pokja_out = Pokja of B, admin = programme
admin (the only is_staff user). Rules the table follows: an object outside the user's scope is 404
(never 403, so ids cannot be probed); a page of another role is 403 whatever its id; anonymous is
sent to the login page (302) except for the village copy, which is reached by its key alone.

POST rows are sent with an empty body (nothing valid to do). Whenever the answer is a refusal
(302 to a login page, 403, 404, 405) every data table must be exactly as it was, and every request
runs in a savepoint that is rolled back, so one answer never depends on another.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse

from tests.security.matrix import ROLE_USERS, ROLES, MatrixWorld, Side, all_patterns, codes
from tests.security.matrix import mw  # noqa: F401 - the module-scoped world fixture
from tests.security.urlwalk import db_fingerprint

# --- Compact spellings of the usual answers (one status per role, ROLES order) -------------------
ANY_USER = "302 200 200 200 200 200 200 200"  # any signed-in user
POST_ONLY = "302 405 405 405 405 405 405 405"  # @login_required outside @require_POST
POST_ONLY_GATED = "405 405 405 405 405 405 405 405"  # @require_POST outside the role gate
CASE_IN = "302 200 404 200 404 200 404 200"  # the A1 case, assigned to Dinas Pertanian A
CASE_OUT = "302 404 404 404 404 404 200 200"  # its twin in kabupaten B
MEETING_IN = "302 200 404 404 404 200 404 200"  # meetings are the kecamatan's; OPDs never see them
MEETING_OUT = CASE_OUT
POKJA_PAGE = "302 403 403 403 403 200 200 200"  # the Pokja's own kabupaten, whichever it is
POKJA_PAGE_IN = "302 403 403 403 403 200 404 200"  # ?kabupaten=A: the Pokja of B gets a 404
POKJA_PAGE_OUT = "302 403 403 403 403 404 200 200"  # ?kabupaten=B: the Pokja of A gets a 404
OPD_PAGE = "302 403 403 200 200 403 403 403"
STAFF_ONLY = "302 302 302 302 302 302 302 200"  # the admin: everyone else is sent to the admin login


def _case(mw, s: Side, role):
    return {"pk": s.case.pk}


def _meeting(mw, s: Side, role):
    return {"pk": s.meeting.pk}


def _meeting_id(mw, s: Side, role):
    return {"meeting_id": s.meeting.pk}


def _sheet(mw, s: Side, role):
    return {"pk": s.meeting.pk, "desa_id": s.desa.pk}


def _job(mw, s: Side, role):
    return {"token": s.job.token}


def _own_notification(mw, s: Side, role):
    """'in': the user's own notification (anonymous: the A1 staff's); 'out': a kabupaten B user's."""
    if s is mw.outside:
        return {"pk": next(iter(s.notifications.values())).pk}
    user = mw.user(role) or mw.user("kec")
    return {"pk": s.notifications[user.pk].pk}


def _kab(s: Side):
    return {"kabupaten": s.kabupaten.pk}


@dataclass(frozen=True)
class Row:
    get: dict[str, str]  # variant -> expected GET statuses
    post: dict[str, str] | None = None  # variant -> expected POST statuses (empty body)
    kwargs: Callable | None = None  # (matrix world, side, role) -> URL kwargs
    query: Callable | None = None  # side -> GET parameters
    data: Callable | None = None  # side -> POST body
    path: Callable | None = None  # (matrix world, side) -> path, for unnamed patterns


def io(get_in, get_out, post_in=None, post_out=None, **kw) -> Row:
    post = {"in": post_in, "out": post_out} if post_in else None
    return Row(get={"in": get_in, "out": get_out}, post=post, **kw)


def flat(get, post=None, **kw) -> Row:
    return Row(get={"-": get}, post={"-": post} if post else None, **kw)


# --- The expected answers of the app's own URLs -----------------------------------------------------
APP_ROWS: dict[str, Row] = {
    # accounts and the site
    "home": flat(ANY_USER),
    "login": flat("200 302 302 302 302 302 302 302"),
    "logout": flat("405 405 405 405 405 405 405 405"),  # POST only; not POSTed here (would end the sessions)
    "password_change": flat(ANY_USER),
    "password_change_done": flat(ANY_USER),
    "set_language": flat("302 302 302 302 302 302 302 302"),  # GET only redirects; the language changes on POST
    "ops:health": flat("200 200 200 200 200 200 200 200", query=lambda s: {"only": "database"}),
    # plans
    "casework:plan_list": flat(ANY_USER),
    "casework:plan_detail": io("302 200 404 200 200 200 404 200", CASE_OUT,  # OPDs read their kabupaten's plans
                               kwargs=lambda mw, s, r: {"pk": s.plan.pk}),
    # cases
    "casework:case_list": flat(ANY_USER),
    "casework:case_detail": io(CASE_IN, CASE_OUT, kwargs=_case),
    "casework:case_action": io(POST_ONLY, POST_ONLY, "302 400 404 400 404 400 404 400", "302 404 404 404 404 404 400 400",
                               kwargs=lambda mw, s, r: {"pk": s.case.pk, "action": "resolve"}),
    "casework:case_acknowledge": io(POST_ONLY, POST_ONLY, "302 400 404 302 404 400 404 302",  # the admin may act too
                                    "302 404 404 404 404 404 400 302", kwargs=_case),
    "casework:case_progress": io(POST_ONLY, POST_ONLY, "302 400 404 400 404 400 404 400",
                                 "302 404 404 404 404 404 400 400", kwargs=_case),
    "casework:case_comment": io(POST_ONLY, POST_ONLY, "302 400 404 400 404 400 404 400",
                                "302 404 404 404 404 404 400 400", kwargs=_case),
    "casework:case_edit": io(POST_ONLY, POST_ONLY, "302 400 404 400 404 400 404 400",
                             "302 404 404 404 404 404 400 400", kwargs=_case),
    # meetings
    "casework:meeting_list": flat(ANY_USER),
    "casework:meeting_create": flat("302 200 200 302 302 302 302 200", "302 400 400 302 302 302 302 400"),
    "casework:meeting_detail": io(MEETING_IN, MEETING_OUT, kwargs=_meeting),
    "casework:meeting_edit": io("302 200 404 404 404 302 404 200", "302 404 404 404 404 404 302 200", "302 409 404 404 404 302 404 409",
                                "302 404 404 404 404 404 302 409", kwargs=_meeting),
    "casework:meeting_order": io(POST_ONLY, POST_ONLY, "302 400 404 404 404 400 404 400",
                                 "302 404 404 404 404 404 400 400", kwargs=_meeting),
    "casework:meeting_prepare": io(POST_ONLY, POST_ONLY, "302 400 404 404 404 400 404 400",
                                   "302 404 404 404 404 404 400 400", kwargs=_meeting),
    "casework:meeting_finalise": io(POST_ONLY, POST_ONLY, "302 400 404 404 404 400 404 400",
                                    "302 404 404 404 404 404 400 400", kwargs=_meeting),
    "casework:meeting_review": io(MEETING_IN, MEETING_OUT, kwargs=_meeting),
    "casework:meeting_review_case": io(POST_ONLY, POST_ONLY, "302 400 404 404 404 400 404 400",
                                       "302 404 404 404 404 404 400 400",
                                       kwargs=lambda mw, s, r: {"pk": s.meeting.pk, "case_id": s.case.pk}),
    "casework:meeting_sheet": io(MEETING_IN, MEETING_OUT, kwargs=_sheet),
    "casework:meeting_record": io(POST_ONLY, POST_ONLY, "302 400 404 404 404 400 404 400",
                                  "302 404 404 404 404 404 400 400", kwargs=_sheet),
    "casework:meeting_lessons": io(MEETING_IN, MEETING_OUT, kwargs=_sheet),
    "casework:meeting_projector": io(MEETING_IN, MEETING_OUT, kwargs=lambda mw, s, r: {"pk": s.meeting.pk, "position": 1}),
    "casework:meeting_print": io(MEETING_IN, MEETING_OUT, kwargs=_meeting),
    # The village copy: no login; the finalised meeting's token with the desa's own key opens it for anyone,
    # anything else ("out": the right token, another village's key) is a 404.
    "casework:shared_sheet": io("200 200 200 200 200 200 200 200", "404 404 404 404 404 404 404 404",
                                kwargs=lambda mw, s, r: {
                                    "token": mw.inside.meeting_done.share_token, "desa_id": mw.inside.desa.pk,
                                    "key": mw.inside.share_key if s is mw.inside
                                    else mw.inside.share_key[::-1]}),
    # escalation: Pokja pages (role gate 403 first, then the kabupaten asked for: outside scope 404)
    "escalation:inbox": io(POKJA_PAGE_IN, POKJA_PAGE_OUT, query=_kab),
    "escalation:assign": io(POST_ONLY_GATED, POST_ONLY_GATED, "302 403 403 403 403 400 404 400",
                            "302 403 403 403 403 404 400 400", kwargs=_case),
    "escalation:send_back": io(POST_ONLY_GATED, POST_ONLY_GATED, "302 403 403 403 403 400 404 400",
                               "302 403 403 403 403 404 400 400", kwargs=_case),
    "escalation:bulk_assign": io(POST_ONLY_GATED, POST_ONLY_GATED, "302 403 403 403 403 400 404 400",
                                 "302 403 403 403 403 404 400 400", data=_kab),
    "escalation:rakor": io(POKJA_PAGE_IN, POKJA_PAGE_OUT, query=_kab),
    "escalation:rakor_create": io(POST_ONLY_GATED, POST_ONLY_GATED, "302 403 403 403 403 400 404 400",
                                  "302 403 403 403 403 404 400 400", data=_kab),
    "escalation:rakor_print": io(POKJA_PAGE_IN, POKJA_PAGE_OUT, query=_kab),
    "escalation:dashboard": flat(POKJA_PAGE),
    "escalation:policy": io(POKJA_PAGE_IN, POKJA_PAGE_OUT, "302 403 403 403 403 400 404 400",
                            "302 403 403 403 403 404 400 400", query=_kab, data=_kab),
    "escalation:holidays": io(POKJA_PAGE_IN, POKJA_PAGE_OUT, query=_kab),
    "escalation:holiday_create": io(POST_ONLY_GATED, POST_ONLY_GATED, "302 403 403 403 403 400 404 400",
                                    "302 403 403 403 403 404 400 400", data=_kab),
    "escalation:holiday_delete": io(POST_ONLY_GATED, POST_ONLY_GATED, "302 403 403 403 403 302 404 302",
                                    "302 403 403 403 403 404 302 302",
                                    kwargs=lambda mw, s, r: {"pk": s.holiday.pk}, data=_kab),
    # escalation: the OPD workspace (only OPD officers; another agency's case is a 404)
    "escalation:workspace": flat(OPD_PAGE),
    "escalation:workspace_act": io(POST_ONLY_GATED, POST_ONLY_GATED, "302 403 403 400 404 403 403 403",
                                   "302 403 403 404 404 403 403 403",
                                   kwargs=lambda mw, s, r: {"pk": s.case.pk, "action": "progress"}),
    # notifications: one's own only
    "notifications:list": flat(ANY_USER),
    "notifications:open": io(POST_ONLY, POST_ONLY, "302 302 302 302 302 302 302 302",
                             "302 404 404 404 404 404 404 404", kwargs=_own_notification),
    "notifications:read": io(POST_ONLY, POST_ONLY, "302 302 302 302 302 302 302 302",
                             "302 404 404 404 404 404 404 404", kwargs=_own_notification),
    "notifications:read_all": flat(POST_ONLY, "302 302 302 302 302 302 302 302"),
    "notifications:preferences": flat(ANY_USER, ANY_USER.replace("200", "302")),
    # excel: uploads, exports and jobs (a job is its starter's alone, whoever else asks)
    "excel:index": flat(ANY_USER),
    "excel:plan_upload": flat(ANY_USER, ANY_USER),  # an empty POST is shown the empty form again
    "excel:meeting_upload": io(MEETING_IN, MEETING_OUT, MEETING_IN, MEETING_OUT, kwargs=_meeting_id),
    "excel:meeting_export": io(MEETING_IN, MEETING_OUT, kwargs=_meeting_id),
    "excel:matriks4_export": io(MEETING_IN, MEETING_OUT, kwargs=_meeting_id),
    "excel:register_export": flat(POST_ONLY, "302 302 302 302 302 302 302 302"),
    "excel:job_detail": io("302 200 404 404 404 404 404 404", "302 404 404 404 404 404 404 404", kwargs=_job),
    "excel:job_status": io("302 200 404 404 404 404 404 404", "302 404 404 404 404 404 404 404", kwargs=_job),
    "excel:job_download": io("302 200 404 404 404 404 404 404", "302 404 404 404 404 404 404 404", kwargs=_job),
    "excel:job_confirm": io(POST_ONLY, POST_ONLY, "302 302 404 404 404 404 404 404",
                            "302 404 404 404 404 404 404 404", kwargs=_job),
    "excel:job_cancel": io(POST_ONLY, POST_ONLY, "302 302 404 404 404 404 404 404",
                           "302 404 404 404 404 404 404 404", kwargs=_job),
    # the admin site's own pages (its per-model pages follow from ADMIN_MODEL_VIEWS below)
    "admin:index": flat(STAFF_ONLY),
    "admin:login": flat("200 200 200 200 200 200 200 302"),
    "admin:logout": flat("302 302 302 302 302 302 302 405"),
    "admin:password_change": flat(STAFF_ONLY),
    "admin:password_change_done": flat(STAFF_ONLY),
    "admin:autocomplete": flat("302 302 302 302 302 302 302 403"),  # no field named: refused even for staff
    "admin:jsi18n": flat(STAFF_ONLY),
    "admin:app_list": flat(STAFF_ONLY, kwargs=lambda mw, s, r: {"app_label": "casework"}),
    # A case has no public page to "view on site": 404 for the admin.
    "admin:view_on_site": flat("302 302 302 302 302 302 302 404", kwargs=lambda mw, s, r: {
        "content_type_id": ContentType.objects.get_for_model(s.case).pk, "object_id": s.case.pk}),
    "admin:auth_user_password_change": flat(STAFF_ONLY, kwargs=lambda mw, s, r: {"id": mw.user("kec").pk}),
    "admin:admin/(?P<url>.*)$": flat("302 302 302 302 302 302 302 404", path=lambda mw, s: "/admin/tidak-ada/"),
}

# The admin's per-model pages, for every model registered with it: only the staff admin gets in.
# Audit trails cannot be added, changed or deleted by anyone; cases cannot be added or deleted here (their history
# would go with them).
NO_ADD = {"casework.case", "casework.caseevent", "escalation.policychange", "escalation.dashboardsnapshot",
          "accounts.rolechange", "axes.accessattempt",
          "axes.accesslog", "axes.accessfailurelog"}
NO_DELETE = {"casework.case", "casework.caseevent", "escalation.policychange", "accounts.rolechange"}
ADMIN_MODEL_VIEWS = ("changelist", "add", "change", "delete", "history")


def _admin_object(model):
    def path(mw, s):
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"the matrix world has no {model._meta.label} to open in the admin"
        return obj.pk

    return path


def admin_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        app, name = model._meta.app_label, model._meta.model_name
        pk_of = _admin_object(model)
        answers = {"changelist": "200", "add": "403" if label in NO_ADD else "200", "change": "200",
                   "delete": "403" if label in NO_DELETE else "200", "history": "200"}
        for view in ADMIN_MODEL_VIEWS:
            needs_obj = view in ("change", "delete", "history")
            kwargs = (lambda mw, s, r, pk_of=pk_of: {"object_id": pk_of(mw, s)}) if needs_obj else None
            post = STAFF_ONLY.replace("200", answers[view]) if view == "delete" else None
            rows[f"admin:{app}_{name}_{view}"] = flat(STAFF_ONLY.replace("200", answers[view]), post, kwargs=kwargs)
        # The old-style "/admin/app/model/<id>/" address redirects to the change page (staff) or the login.
        rows[f"admin:admin/{app}/{name}/<path:object_id>/"] = flat(
            "302 302 302 302 302 302 302 302", path=lambda mw, s, app=app, name=name, pk_of=pk_of:
            f"/admin/{app}/{name}/{pk_of(mw, s)}/")
    return rows


EXPECTED: dict[str, Row] = {**APP_ROWS, **admin_rows()}


def _url(mw: MatrixWorld, key: str, row: Row, side: Side, role: str) -> str:
    if row.path:
        return row.path(mw, side)
    kwargs = row.kwargs(mw, side, role) if row.kwargs else {}
    return reverse(key, kwargs=kwargs)


def _sides(mw: MatrixWorld, answers: dict[str, str]):
    for variant, expected in answers.items():
        yield variant, (mw.outside if variant == "out" else mw.inside), codes(expected)


def _login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].split("?")[0] in ("/masuk/", "/admin/login/")


# --- The tests -------------------------------------------------------------------------------------------

def test_it_has_an_expected_answer_for_every_url():
    """A new view (or admin model) without a row here fails: whoever adds a URL must decide who may open it."""
    found = {p.key: p.route for p in all_patterns()}
    missing = sorted(f"{key}  ({route})" for key, route in found.items() if key not in EXPECTED)
    stale = sorted(set(EXPECTED) - set(found))
    assert not missing, "URL patterns without a row in the access matrix:\n" + "\n".join(missing)
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"
    assert len(found) > 150  # the walk really saw the admin and every include()


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_it_answers_get_as_the_matrix_says(mw, key):
    row = EXPECTED[key]
    wrong = []
    for variant, side, expected in _sides(mw, row.get):
        for role in ROLES:
            url = _url(mw, key, row, side, role)
            with transaction.atomic():
                response = mw.clients[role].get(url, row.query(side) if row.query else None)
                transaction.set_rollback(True)
            status = response.status_code
            if status != expected[role]:
                wrong.append(f"GET {url} as {role} ({variant}): {status}, expected {expected[role]}")
            elif role == "anon" and status == 302 and key not in ("set_language", "admin:logout") \
                    and not key.startswith("admin:admin/") and not _login_redirect(response):
                wrong.append(f"GET {url} as anonymous redirects to {response['Location']}, not to a login page")
    assert not wrong, "\n".join(wrong)


POST_KEYS = sorted(k for k, row in EXPECTED.items() if row.post)


@pytest.mark.django_db
@pytest.mark.parametrize("key", POST_KEYS)
def test_it_answers_post_as_the_matrix_says_and_a_refusal_changes_nothing(mw, key):
    row = EXPECTED[key]
    wrong = []
    before = db_fingerprint()  # every request below is rolled back, so each starts from this state
    for variant, side, expected in _sides(mw, row.post):
        for role in ROLES:
            url = _url(mw, key, row, side, role)
            refused = expected[role] in (403, 404, 405) or (role == "anon" and expected[role] == 302)
            with transaction.atomic():
                response = mw.clients[role].post(url, row.data(side) if row.data else {})
                changed = refused and db_fingerprint() != before
                transaction.set_rollback(True)
            if response.status_code != expected[role]:
                wrong.append(f"POST {url} as {role} ({variant}): {response.status_code}, expected {expected[role]}")
            if changed:
                wrong.append(f"POST {url} as {role} ({variant}) was refused but changed data")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_it_shows_no_out_of_scope_record_in_lists(mw):
    """The lists (not only the detail pages) hold nothing from outside the user's scope."""
    outside_case = mw.outside.case
    marker = f"/kasus/{outside_case.pk}/"
    for role in ("kec", "kec_out", "opd", "opd_out", "pokja"):
        for url in ("/kasus/", "/pertemuan/", "/notifikasi/", "/excel/", "/"):
            body = mw.clients[role].get(url).content.decode()
            assert marker not in body, f"{role} sees a link to kabupaten B's case on {url}"
        assert str(mw.outside.job.token) not in mw.clients[role].get("/excel/").content.decode()
    # ...while the inside user does see the inside case (so the check above can fail).
    assert f"/kasus/{mw.inside.case.pk}/" in mw.clients["kec"].get("/kasus/").content.decode()


@pytest.mark.django_db
def test_it_hides_a_notification_about_a_case_out_of_scope(mw):
    """A user's own notification about a case they cannot see (moved away, or never theirs) opens nothing."""
    from notifications.models import Notification

    outsider = mw.user("kec_out")
    note = Notification.objects.create(recipient=outsider, key="matrix:hidden", kind="progress", case=mw.inside.case,
                                       send_after=mw.inside.case.created_at)
    before = db_fingerprint()
    assert mw.clients["kec_out"].post(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert mw.clients["kec_out"].post(reverse("notifications:read", args=[note.pk])).status_code == 404
    assert db_fingerprint() == before
    assert f"/kasus/{mw.inside.case.pk}/" not in mw.clients["kec_out"].get("/notifikasi/").content.decode()


def test_it_names_each_role_of_the_matrix():
    assert set(ROLE_USERS) | {"anon"} == set(ROLES)
