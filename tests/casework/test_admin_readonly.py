"""The admin shows cases but cannot change them: every change must go through the services and leave history."""
from casework.models import Case
from tests.conftest import make_case


def test_the_admin_can_view_but_not_change_a_case(client, world):
    case = make_case(world, obstacle="Asli")
    client.force_login(world.admin_user)
    url = f"/admin/casework/case/{case.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "Asli" in page.content.decode()
    response = client.post(url, {"obstacle": "Diubah lewat admin", "desa": world.desa_a1.pk})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).obstacle == "Asli"
    assert client.get("/admin/casework/case/add/").status_code == 403
    assert client.post(f"/admin/casework/case/{case.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()
