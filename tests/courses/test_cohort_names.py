"""A cohort has a name per language; learners read it in theirs."""

import pytest
from django.urls import reverse

from courses.models import Cohort

RU, KK, EN = "Акмолинский филиал, октябрь 2021", "Ақмола филиалы, 2021 жылғы қазан", "Akmola, 2021"


@pytest.mark.parametrize(
    ("names", "language", "expected"),
    [
        ({"name": RU, "name_kk": KK, "name_en": EN}, "kk", KK),
        ({"name": RU, "name_kk": KK, "name_en": EN}, "en", EN),
        ({"name": RU, "name_kk": KK}, "ru", RU),
        ({"name": RU, "name_kk": KK}, "en", KK),  # the first one given
        ({"name": RU}, "kk", RU),
        ({"name": RU}, "en-gb", RU),
    ],
)
def test_the_name_in_a_language_falls_back_to_the_first_given(names, language, expected):
    assert Cohort(**names).name_in(language) == expected


def test_the_kk_dashboard_names_the_cohort_in_kazakh(client, learner, cohort, enrolment):
    Cohort.objects.filter(pk=cohort.pk).update(name=RU, name_kk=KK, name_en=EN)
    client.force_login(learner)

    html = client.get("/kk/dashboard/").content.decode()
    assert KK in html and RU not in html
    html = client.get("/en/dashboard/").content.decode()
    assert EN in html and RU not in html
    html = client.get("/ru/dashboard/").content.decode()
    assert RU in html and KK not in html


def test_joining_says_the_cohorts_name_in_the_learners_language(client, learner, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(name=RU, name_kk=KK)
    client.force_login(learner)
    response = client.post("/kk/dashboard/join/", {"code": cohort.invite_code}, follow=True)
    html = response.content.decode()
    assert KK in html and RU not in html


def test_trainers_give_the_names_in_the_cohort_form(client, cohort, trainer):
    client.force_login(trainer)
    html = client.get(reverse("courses_cohort:edit", args=[cohort.pk])).content.decode()
    assert 'name="name_kk"' in html and 'name="name_en"' in html
