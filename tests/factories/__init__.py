import factory

from lms.models import LearnerProfile, Region, User

PASSWORD = "correct-horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True  # adding groups needs no second save

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name", locale="ru_RU")
    preferred_language = "ru"
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """``UserFactory(groups=["Trainers"])``: a member of those role groups."""
        if create and extracted:
            from django.contrib.auth.models import Group

            self.groups.add(*Group.objects.filter(name__in=extracted))


class LearnerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearnerProfile

    user = factory.SubFactory(UserFactory)
    region = factory.LazyFunction(lambda: Region.objects.get(code="akmola"))
    rural_district = "Жалтыр ауылдық округі"


def build_learners() -> dict[str, User]:
    """Two learners with profiles, by e-mail: a Kazakh-speaking one in Akmola and a
    Russian-speaking deputy in West Kazakhstan."""
    learner = UserFactory(
        email="learner@example.com",
        full_name="Ерлан Болатұлы Сейітов",
        preferred_language="kk",
        groups=["Learners"],
    )
    LearnerProfileFactory(user=learner)
    deputy = UserFactory(
        email="learner2@example.com",
        full_name="Айгүл Маратқызы Омарова",
        preferred_language="ru",
        groups=["Learners"],
    )
    LearnerProfileFactory(
        user=deputy,
        region=Region.objects.get(code="west-kazakhstan"),
        rural_district="Чапаевский сельский округ",
        position=LearnerProfile.Position.DEPUTY,
    )
    return {user.email: user for user in (learner, deputy)}
