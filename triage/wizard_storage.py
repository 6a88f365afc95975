"""The wizard's session storage, saving the session only when its data changes.

formtools' SessionStorage marks the session modified on every *read* of the
wizard's data (it cannot see changes to the nested dicts), so every page view
of a step, even a plain GET, rewrote the session row. Here each write path
marks the session modified instead, and reads leave it alone: a step GET
costs one UPDATE less (found profiling the step GET, see docs/benchmarks.md).
"""

from __future__ import annotations

from formtools.wizard.storage import session


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
        super().set_step_data(step, cleaned_data)
        self._changed()

    def set_step_files(self, step: str, files) -> None:
        super().set_step_files(step, files)
        self._changed()
