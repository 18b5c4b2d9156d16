"""Two changes to Rasa 3.6's own code, made where Dasi's Rasa server starts (the tracker store).
Both keep Rasa's results and remove work it repeats on every message.

1. Rasa checks every action server response against its JSON schema with `jsonschema.validate`,
which first checks the schema itself against the 2020-12 meta-schema on every call. Profiled
on a Dasi turn (three action server calls), that meta-schema check alone was about 15% of the
Rasa server's CPU, and the whole validation about 40%. The response is still validated, by the
same validator class against the same schema, but the validator is built (and the schema
checked) once.

2. Rasa finds an event's class by its type name by walking every subclass of Event, for every
event of the conversation it reads back from the tracker store (about 14% of a turn's time in
the Rasa server). The classes never change after import, so the answer is looked up in a
table built once; an unknown name still goes to Rasa's own lookup (and its error).
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses


@functools.lru_cache(maxsize=1)
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the validator built once (same errors)."""
    error = best_match(_response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


@functools.lru_cache(maxsize=1)
def _event_classes() -> dict[str, type[Event]]:
    classes: dict[str, type[Event]] = {}
    for cls in all_subclasses(Event):
        classes.setdefault(cls.type_name, cls)  # the first match, as Rasa's own loop returns
    return classes


_rasa_resolve_by_type = Event.resolve_by_type


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Event.resolve_by_type from a table of the event classes (same class for every name)."""
    found = _event_classes().get(type_name)
    return found if found is not None else _rasa_resolve_by_type(type_name, default)


def apply() -> None:
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign,assignment]
