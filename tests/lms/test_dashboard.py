def test_dashboard_shows_the_learner_and_their_profile(client, learners):
    client.force_login(learners["learner@example.com"])
    response = client.get("/ru/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ерлан Болатұлы Сейітов" in html
    assert "Акмолинская область" in html
    assert "Жалтыр ауылдық округі" in html
    assert '<meta name="robots" content="noindex">' in html


def test_dashboard_region_follows_the_language(client, learners):
    client.force_login(learners["learner2@example.com"])
    assert "Батыс Қазақстан облысы" in client.get("/kk/dashboard/").content.decode()
