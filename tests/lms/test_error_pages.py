from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error


def test_server_error_page_is_our_own_and_translated(db):
    with translation.override("en"):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Something went wrong</h1>" in html
    assert '<html lang="en">' in html


def test_not_found_outside_any_page_tree_is_404(client, db):
    response = client.get("/kk/this/does/not/exist/")
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()


def test_a_missing_admin_object_is_a_plain_404(admin_client):
    response = admin_client.get("/admin/pages/999999/edit/")
    assert response.status_code == 404
    assert admin_client.get("/accounts/no-such-page/").status_code == 404
