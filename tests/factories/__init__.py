import factory

from lms.models import LearnerProfile, Region, User

PASSWORD = "correct-horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name", locale="ru_RU")
    preferred_language = "ru"
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)


class LearnerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearnerProfile

    user = factory.SubFactory(UserFactory)
    region = factory.LazyFunction(lambda: Region.objects.get(code="akmola"))
    rural_district = "Жалтыр ауылдық округі"
