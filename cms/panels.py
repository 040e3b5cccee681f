"""Admin panels shared by the page types."""

from django.utils.text import capfirst

from wagtail.admin.panels import FieldPanel


class EditableWithPermissionPanel(FieldPanel):
    """A field that only users with `permission` may change; everyone else sees its value, read-only.

    Wagtail's `FieldPanel(permission=…)` leaves the field out of the form of a user without the permission (so a
    crafted POST cannot change it either) and hides it; this panel shows them the value instead.
    """

    def __init__(self, field_name, *args, permission, **kwargs):
        super().__init__(field_name, *args, permission=permission, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.form is not None and self.bound_field is None:  # left out of this user's form
                self.read_only = True
                self.heading = self.panel.heading or capfirst(self.panel.db_field.verbose_name)
                self.help_text = self.panel.help_text or self.panel.db_field.help_text

        def is_shown(self):
            return self.read_only or super().is_shown()
