"""The project's own error for input a user can correct.

The QGIS algorithms and the command line turn an :class:`InputError` (and
its subclasses: ``StackError``, ``NoValidData``, ``OutputError``) into a
message without a traceback; any other exception is a bug and keeps its
traceback in the log. It subclasses ``ValueError``, so code that catches
``ValueError`` keeps working.
"""


class InputError(ValueError):
    """A problem with the user's input or settings, said in one message."""
