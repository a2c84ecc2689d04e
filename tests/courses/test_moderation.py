"""Trainers write and submit; methodologists approve and publish (Wagtail workflow)."""

from django.contrib.auth.models import Group

from courses.models import LessonPage
from tests.factories import UserFactory


def test_trainer_submits_and_methodologist_publishes(course, trainer):
    methodologist = UserFactory()
    methodologist.groups.add(Group.objects.get(name="Methodologists"))
    module = course.get_children().first()
    draft = LessonPage(title="Новый урок о закупках", slug="new", body=[], live=False)
    module.add_child(instance=draft)
    draft.save_revision(user=trainer)

    assert not draft.permissions_for_user(trainer).can_publish()
    assert draft.permissions_for_user(methodologist).can_publish()

    workflow = draft.get_workflow()
    assert workflow.name == "Methodologists approval"
    state = workflow.start(draft, trainer)
    task = state.current_task_state.task.specific
    assert task.user_can_access_editor(draft, methodologist)
    assert not task.locked_for_user(draft, methodologist)
    task.on_action(state.current_task_state, methodologist, "approve")

    draft.refresh_from_db()
    assert draft.live
