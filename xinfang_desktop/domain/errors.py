"""The one error hierarchy: messages are Chinese, name the field, and say what to do."""

from __future__ import annotations


class XinfangError(Exception):
    """A known problem the user can act on; its message is shown as is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(XinfangError):
    """Input that cannot be accepted; `field` names the form field (Chinese label)."""


class NotFoundError(XinfangError):
    """A matter, unit, petitioner or document that does not exist."""


class InvalidTransitionError(XinfangError):
    """An action not allowed in the matter's present state."""


class ChangedMeanwhileError(XinfangError):
    """The matter was changed (by another clerk) after the form being saved was filled from it."""


class StorageError(XinfangError):
    """The database file is missing, not SQLite, damaged, locked or from a newer version."""


class LoginRefused(StorageError):
    """The server wants a password that was not given, or refused the one given: ask for it."""


class DamagedDatabaseError(StorageError):
    """The database file itself is damaged: the window offers to restore the latest good backup."""


class ConfirmationRequired(XinfangError):
    """A warning the clerk may override on purpose (e.g. a bad ID check digit).

    The caller shows the message and, if the clerk confirms, repeats the call with the
    override flag set; the override is then written on the timeline.
    """
