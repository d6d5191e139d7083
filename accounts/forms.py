"""Forms for the signed-in user's own account."""
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.utils.translation import gettext_lazy as _


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form (old password checked, AUTH_PASSWORD_VALIDATORS applied) with the words the
    rest of the app uses ("kata sandi")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi lama")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
