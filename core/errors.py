"""The project's own error for input a user can correct.

The QGIS algorithms and the command line turn an :class:`InputError` (and
its subclasses: ``StackError``, ``NoValidData``, ``OutputError``) into a
message without a traceback; any other exception is a bug and keeps its
traceback in the log. It subclasses ``ValueError``, so code that catches
``ValueError`` keeps working. Its messages are templates marked ``N_``, so
the QGIS layer shows them translated (``translated``) and the command line
in English.
"""




def N_(text):  # noqa: N802 - gettext's name for "translate later"
    """Marks a message template for the catalogue (scripts/i18n.py); returns it."""
    return text


def _translated(template, params, tr, english):
    values = [v.translated(tr) if hasattr(v, "translated") else v for v in params]
    try:
        return tr(template).format(*values) if values else tr(template)
    except (IndexError, KeyError, ValueError):
        return english


class Message(str):
    """A text for the user made from a template marked ``N_`` and its values:
    the English text wherever a string goes (tables, the command line), and
    :meth:`translated` for the QGIS log and reports. Pickles as a plain str."""

    def __new__(cls, template, *params):
        obj = super().__new__(cls, template.format(*params) if params else template)
        obj.template, obj.params = template, params
        return obj

    def translated(self, tr):
        return _translated(self.template, self.params, tr, str(self))

    def __reduce__(self):
        return str, (str(self),)


def text(value, tr):
    """``value`` in the user's language: a Message or InputError through
    ``tr``, anything else as str."""
    return value.translated(tr) if hasattr(value, "translated") else str(value)


class InputError(ValueError):
    """A problem with the user's input or settings, said in one message.

    ``InputError(N_("year {} is not one of the stack's years"), year)``: the
    template (in the catalogue) and its values; ``str()`` is the English
    message, :meth:`translated` the message in the user's language."""

    def __init__(self, message="", *params):
        self.template, self.params = message, params
        super().__init__(message.format(*params) if params else message)

    def __reduce__(self):                   # pickles (dask workers) as its text
        return type(self), (str(self),)

    def translated(self, tr):
        """The message through ``tr`` (template -> translated template); the
        values as they are, a Message or InputError among them translated
        too. The English message when the translation does not format."""
        if not isinstance(self.template, str):
            return str(self)
        return _translated(self.template, self.params, tr, str(self))
