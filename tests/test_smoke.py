from django.test import Client


def test_home_page_links_to_api_and_back_office(db):
    response = Client().get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/graphql/"' in body
    assert 'href="/dashboard/"' in body
