"""Bahasa Indonesia by default, English when the user picks it — never by the browser's own setting."""


def test_the_login_page_is_indonesian_even_for_an_english_browser(client, db):
    body = client.get("/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Masuk ke Tindak Lanjut" in body and 'lang="id"' in body


def test_choosing_english_switches_the_interface(client, db):
    response = client.post("/bahasa/", {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302
    body = client.get("/masuk/").content.decode()
    assert 'lang="en"' in body and "Masuk ke Tindak Lanjut" not in body


def test_dates_read_in_bahasa_indonesia(client, world):
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("id"):
        rendered = Template('{{ d|date:"j F Y" }}').render(Context({"d": date(2024, 3, 28)}))
    assert rendered == "28 Maret 2024"
