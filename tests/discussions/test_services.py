"""Asking, answering, marking the answer, moderating: the rules in discussions.services."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courses.models import CoursePage
from discussions import selectors, services
from discussions.models import CourseQuestionRule, Question, Status
from tests.factories.courses import translate_course
from tests.factories.discussions import build_answer, build_question


def access(user, cohort):
    return selectors.thread_access(user=user, cohort=cohort)


def ask(user, cohort, lesson, **fields):
    return services.question_ask(
        access=access(user, cohort),
        lesson=lesson,
        title=fields.pop("title", "Кто утверждает бюджет?"),
        body=fields.pop("body", ""),
        submit_key=fields.pop("submit_key", uuid.uuid4()),
    )


def test_a_learners_question_shows_at_once_without_premoderation(learner, cohort, lesson):
    question = ask(learner, cohort, lesson)
    assert question.status == Status.VISIBLE
    assert question.item_key == lesson.translation_key


def test_premoderation_holds_learners_posts_not_trainers(learner, trainer, cohort, lesson):
    CourseQuestionRule.objects.create(course=cohort.course, premoderation=True)
    question = ask(learner, cohort, lesson)
    assert question.status == Status.PENDING
    by_trainer = ask(trainer, cohort, lesson)
    assert by_trainer.status == Status.VISIBLE
    answer = services.answer_post(
        access=access(trainer, cohort), question=by_trainer, body="Да.", submit_key=uuid.uuid4()
    )
    assert answer.status == Status.VISIBLE and answer.by_trainer


def test_premoderation_set_on_one_language_copy_holds_them_all(learner, cohort, lesson):
    kazakh = translate_course(cohort.course, "kk")
    CourseQuestionRule.objects.create(course=kazakh, premoderation=True)
    assert ask(learner, cohort, lesson).status == Status.PENDING


def test_the_kazakh_copy_of_a_lesson_shares_the_thread(learner, cohort, lesson):
    translate_course(cohort.course, "kk")
    kazakh_lesson = lesson.get_translation(lesson.locale.__class__.objects.get(language_code="kk"))
    ask(learner, cohort, kazakh_lesson)
    thread = selectors.lesson_questions(
        access=access(learner, cohort), item_key=lesson.translation_key
    )
    assert thread.count() == 1


def test_the_same_form_sent_twice_makes_one_question(learner, cohort, lesson):
    key = uuid.uuid4()
    first = ask(learner, cohort, lesson, submit_key=key)
    second = ask(learner, cohort, lesson, submit_key=key)
    assert first.pk == second.pk
    assert Question.objects.count() == 1


def test_another_persons_form_key_is_refused(learner, classmate, cohort, lesson):
    key = uuid.uuid4()
    ask(learner, cohort, lesson, submit_key=key)
    with pytest.raises(ValidationError):
        ask(classmate, cohort, lesson, submit_key=key)


def test_markup_is_stripped_and_links_made_safe(learner, cohort, lesson):
    question = ask(
        learner,
        cohort,
        lesson,
        title="<script>alert(1)</script>Бюджет",
        body=(
            '<a href="javascript:alert(1)">ссылка</a> https://example.org '
            "<img src=x onerror=alert(1)>"
        ),
    )
    assert "<" not in question.title
    assert "<script" not in question.body_html and "javascript:" not in question.body_html
    assert "onerror" not in question.body_html
    assert 'rel="nofollow ugc"' in question.body_html


def test_a_title_of_markup_only_is_refused(learner, cohort, lesson):
    with pytest.raises(ValidationError):
        ask(learner, cohort, lesson, title="<b></b>")


def test_an_overlong_text_is_refused(learner, cohort, lesson):
    with pytest.raises(ValidationError):
        ask(learner, cohort, lesson, body="а" * 100_000)


def test_posting_is_rate_limited_per_person(settings, learner, cohort, lesson):
    settings.QNA_POST_RATE = 2
    ask(learner, cohort, lesson)
    ask(learner, cohort, lesson)
    with pytest.raises(services.PostRateLimited):
        ask(learner, cohort, lesson)


def test_a_pending_question_takes_no_answers(learner, classmate, cohort, lesson):
    question = build_question(cohort, lesson, learner, status=Status.PENDING)
    with pytest.raises(ValidationError):
        services.answer_post(
            access=access(classmate, cohort), question=question, body="x", submit_key=uuid.uuid4()
        )


def test_an_answer_in_another_cohort_is_refused(learner, outsider, cohort, other_cohort, lesson):
    question = build_question(cohort, lesson, learner)
    with pytest.raises(PermissionDenied):
        services.answer_post(
            access=access(outsider, other_cohort),
            question=question,
            body="x",
            submit_key=uuid.uuid4(),
        )


def test_only_a_trainer_marks_the_answer(learner, classmate, trainer, cohort, lesson):
    question = build_question(cohort, lesson, learner)
    answer = build_answer(question, classmate)
    with pytest.raises(PermissionDenied):
        services.answer_accept(access=access(learner, cohort), answer=answer)
    services.answer_accept(access=access(trainer, cohort), answer=answer)
    question.refresh_from_db()
    assert question.accepted_answer == answer
    services.answer_accept(access=access(trainer, cohort), answer=answer, accepted=False)
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_hiding_the_accepted_answer_unmarks_it(learner, trainer, cohort, lesson):
    question = build_question(cohort, lesson, learner)
    answer = build_answer(question, trainer, by_trainer=True)
    services.answer_accept(access=access(trainer, cohort), answer=answer)
    services.post_moderate(access=access(trainer, cohort), post=answer, status=Status.HIDDEN)
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_a_learner_cannot_moderate(learner, cohort, lesson):
    question = build_question(cohort, lesson, learner, status=Status.PENDING)
    with pytest.raises(PermissionDenied):
        services.post_moderate(access=access(learner, cohort), post=question, status="visible")


def test_who_gets_access(learner, withdrawn, outsider, trainer, other_trainer, cohort):
    assert access(learner, cohort).is_trainer is False
    assert access(trainer, cohort).is_trainer is True
    assert access(withdrawn, cohort) is None
    assert access(outsider, cohort) is None
    assert access(other_trainer, cohort) is None


def test_staff_who_see_every_cohort_are_trainers_everywhere(cohort, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.com", password="x")
    assert access(admin, cohort).is_trainer is True


def test_unanswered_means_no_trainers_answer_and_none_accepted(
    learner, classmate, trainer, other_trainer, cohort, other_cohort, outsider, lesson
):
    open_one = build_question(cohort, lesson, learner, title="открытый")
    peer_answered = build_question(cohort, lesson, learner, title="ответил слушатель")
    build_answer(peer_answered, classmate)
    trainer_answered = build_question(cohort, lesson, learner, title="ответил тренер")
    build_answer(trainer_answered, trainer, by_trainer=True)
    accepted = build_question(cohort, lesson, learner, title="принят")
    accepted.accepted_answer = build_answer(accepted, classmate)
    accepted.save()
    build_question(cohort, lesson, learner, title="на модерации", status=Status.PENDING)
    build_question(other_cohort, lesson, outsider, title="чужой поток")
    titles = [q.title for q in selectors.unanswered_questions(user=trainer)]
    assert titles == [open_one.title, peer_answered.title]
    assert [q.title for q in selectors.unanswered_questions(user=other_trainer)] == ["чужой поток"]


def test_the_rule_is_per_course(cohort):
    assert CoursePage.objects.filter(question_rule__isnull=True).exists()
    assert selectors.premoderated(cohort=cohort) is False
