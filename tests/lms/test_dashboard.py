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


def _switcher(html: str) -> str:
    return html.split('<nav class="languages"', 1)[1].split("</nav>", 1)[0]


def test_the_language_links_of_a_view_are_its_own_path_in_each_language(client, learners):
    """Worked out once per process by the path: each address keeps its own links."""
    client.force_login(learners["learner@example.com"])
    for _ in range(2):
        dashboard = _switcher(client.get("/ru/dashboard/").content.decode())
        assert 'href="/kk/dashboard/"' in dashboard and 'href="/en/dashboard/"' in dashboard
        assert 'href="/ru/dashboard/"' not in dashboard  # the current language is no link
        results = _switcher(client.get("/kk/quizzes/results/").content.decode())
        assert 'href="/ru/quizzes/results/"' in results and 'href="/en/quizzes/results/"' in results
        assert "dashboard" not in results


def test_the_dashboards_profile_is_the_persons_own_with_its_region(
    learners, django_assert_num_queries
):
    """Read with written-out SQL: the same fields as the ORM's, the region with it (or
    none), and nothing for someone without a profile."""
    from lms.models import LearnerProfile
    from lms.selectors import learner_profile
    from tests.factories import UserFactory

    def shown(profile):
        fields = LearnerProfile._meta.concrete_fields
        region = profile.region
        return (
            tuple(getattr(profile, f.attname) for f in fields),
            region and (region.pk, region.code, region.name),
            profile.get_position_display(),
        )

    user = learners["learner@example.com"]
    expected = shown(LearnerProfile.objects.select_related("region").get(user=user))
    with django_assert_num_queries(1):
        assert shown(learner_profile(user=user)) == expected
    assert expected[1] is not None
    LearnerProfile.objects.filter(user=user).update(region=None)
    with django_assert_num_queries(1):
        profile = learner_profile(user=user)
        assert profile.region is None and profile.user_id == user.pk
    assert learner_profile(user=UserFactory()) is None
