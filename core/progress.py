"""A tiny progress/cancel protocol between the core and its callers.

The core only calls ``progress.set(percent)``, ``progress.canceled()``,
``progress.info(text)`` and ``progress.message(template, *args)`` (a log
line the caller may translate: the QGIS algorithms pass Qt's translation,
context CarbonSink); QGIS feedback, a console bar or nothing adapt to it.
"""


class Canceled(Exception):
    """Raised inside the core when the caller asked to stop."""


class Progress:
    """Default: silent, never canceled. Subclass or pass callables."""

    def __init__(self, on_progress=None, is_canceled=None, on_info=None, translate=None):
        self._on_progress = on_progress
        self._is_canceled = is_canceled
        self._on_info = on_info
        self._translate = translate

    def set(self, percent):
        if self._on_progress is not None:
            self._on_progress(float(percent))

    def canceled(self):
        return bool(self._is_canceled()) if self._is_canceled is not None else False

    def info(self, text):
        if self._on_info is not None:
            self._on_info(str(text))

    def message(self, template, *args):
        """Log ``template`` (marked N_("...") in core) formatted with ``args``,
        translated first when the caller gave a translation."""
        if self._translate is not None:
            template = self._translate(template)
        self.info(template.format(*args))

    def scaled(self, lo, hi):
        """A progress for one step of a longer run: 0..100 maps to lo..hi."""
        return Progress(lambda v: self.set(lo + (hi - lo) * v / 100.0),
                        self.canceled, self.info, self._translate)

    def check(self):
        """Raise :class:`Canceled` when the caller asked to stop."""
        if self.canceled():
            raise Canceled("canceled by the user")


def as_progress(progress):
    return progress if progress is not None else Progress()
