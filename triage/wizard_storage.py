"""The wizard's session storage: only a step's own fields, saved only when they change.

formtools keeps a step's raw POST in the session, every key of it: a 1.8 MB
junk field beside valid answers became a 2.4 MB session row (issue 14). Here a
step stores only the fields its form declares (``form_step_data``), one value
each unless the field takes several, and the storage drops anything not named
for that step; the request body cap (``clinic_site.middleware``) bounds what
reaches the form at all.

formtools' SessionStorage also marks the session modified on every *read* of
the wizard's data (it cannot see changes to the nested dicts), so every page
view of a step, even a plain GET, rewrote the session row. Here each write path
marks the session modified instead, and reads leave it alone: a step GET
costs one UPDATE less (found profiling the step GET, see docs/benchmarks.md).
"""

from __future__ import annotations

from django import forms
from django.utils.datastructures import MultiValueDict
from formtools.wizard.storage import session


def form_step_data(form: forms.Form, *, keep: tuple[str, ...] = ()) -> MultiValueDict:
    """The posted values of ``form``'s own fields (and of the ``keep`` keys), nothing else.

    A field that takes one value keeps the last one sent, as its widget reads
    it; repeating a key a thousand times stores it once.
    """
    data = form.data
    own = MultiValueDict()
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        widget = field.widget
        keys = [key]
        if isinstance(widget, forms.MultiWidget):
            keys = [f"{key}{suffix}" for suffix in widget.widgets_names]
        for item in keys:
            if item not in data:
                continue
            if getattr(widget, "allow_multiple_selected", False):
                # At most one of each choice (checkboxes, multiple select).
                own.setlist(item, list(dict.fromkeys(data.getlist(item)))[: len(getattr(field, "choices", ())) or 1])
            else:
                own.setlist(item, [data.get(item)])
    for item in keep:
        if item in data:
            own.setlist(item, [data.get(item)])
    return own


class SessionStorage(session.SessionStorage):
    def _get_data(self) -> dict:
        return self.request.session[self.prefix]

    # Writing the whole dict (init_data, reset) goes through formtools' setter,
    # which marks the session modified itself.
    data = property(_get_data, session.SessionStorage._set_data)

    def _changed(self) -> None:
        self.request.session.modified = True

    def _set_current_step(self, step: str | None) -> None:
        if self.data[self.step_key] != step:
            super()._set_current_step(step)
            self._changed()

    def _set_extra_data(self, extra_data: dict) -> None:
        super()._set_extra_data(extra_data)
        self._changed()

    def set_step_data(self, step: str, cleaned_data) -> None:
        """Store a step's posted data, keeping only keys named for that step (or the wizard's own).

        The view already narrows the data to the form's fields; this is the
        second line, so no other caller can put arbitrary keys in the session.
        """
        if cleaned_data is not None:
            if not isinstance(cleaned_data, MultiValueDict):
                cleaned_data = MultiValueDict({key: list(values) for key, values in dict(cleaned_data).items()})
            allowed = (f"{step}-", f"{self.prefix.removeprefix('wizard_')}-")
            cleaned_data = MultiValueDict(
                {key: values for key, values in cleaned_data.lists() if key.startswith(allowed)}
            )
        super().set_step_data(step, cleaned_data)
        self._changed()

    def set_step_files(self, step: str, files) -> None:
        super().set_step_files(step, files)
        self._changed()
