from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from lms.forms import LmsUserCreationForm, LmsUserEditForm


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return LmsUserEditForm if for_update else LmsUserCreationForm
