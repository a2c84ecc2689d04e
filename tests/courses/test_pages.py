"""Page types of the courses app: tree rules, rendering, and the editor form."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from assignments.models import AssignmentPage
from cms.models import HomePage
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage
from tests.factories.cms import build_home_pages
from tests.factories.courses import build_course


class TestCoursePages(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = build_home_pages()
        cls.course = build_course(cls.home, modules=1, lessons=1, module_tests=True)
        cls.module = ModulePage.objects.get()

    def setUp(self):
        self.superuser = self.create_superuser("editor@example.com", password="x")
        self.client.force_login(self.superuser)

    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})
        # and the item types of other apps: assignments
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage, QuizPage, AssignmentPage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertCanNotCreateAt(Page, CoursePage)
        self.assertCanNotCreateAt(CoursePage, LessonPage)

    def test_pages_render_for_staff_and_preview(self):
        for page in [self.course, self.module, *LessonPage.objects.all(), *QuizPage.objects.all()]:
            self.assertPageIsRenderable(page)
        lesson = LessonPage.objects.get()
        self.assertPageIsPreviewable(
            lesson,
            post_data=nested_form_data(
                {
                    "title": lesson.title,
                    "slug": lesson.slug,
                    "estimated_minutes": 20,
                    "required": "on",
                    "body": streamfield([("paragraph", rich_text("<p>Текст урока</p>"))]),
                }
            ),
        )

    def test_a_trainer_can_create_a_lesson_with_every_block(self):
        self.assertCanCreate(
            self.module,
            LessonPage,
            nested_form_data(
                {
                    "title": "Закупки: пошагово",
                    "slug": "steps",
                    "estimated_minutes": 25,
                    "required": "on",
                    "body": streamfield(
                        [
                            ("heading", {"text": "План закупок", "level": "h2"}),
                            ("paragraph", rich_text("<p>Начните с плана.</p>")),
                            ("quote", {"text": "Сначала план.", "attribution": "Аким"}),
                            (
                                "callout",
                                {
                                    "kind": "tip",
                                    "title": "Совет",
                                    "text": rich_text("<p>Проверьте сроки.</p>"),
                                },
                            ),
                        ]
                    ),
                }
            ),
        )

    def test_course_form_offers_languages_as_checkboxes(self):
        from django.urls import reverse

        url = reverse("wagtailadmin_pages:edit", args=[self.course.pk])
        html = self.client.get(url).content.decode()
        assert 'type="checkbox" name="languages_offered" value="kk"' in html
