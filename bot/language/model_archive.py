"""Trained objects of Dasi's NLU components, pickled into and out of the Rasa model archive."""

from __future__ import annotations

import logging
import pickle
from typing import Any

from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

logger = logging.getLogger(__name__)


def save_pickled(model_storage: ModelStorage, resource: Resource, name: str, value: Any) -> None:
    """Stores a trained object of one of Dasi's components in the model archive."""
    with model_storage.write_to(resource) as directory:
        (directory / name).write_bytes(pickle.dumps(value))


def load_pickled(model_storage: ModelStorage, resource: Resource, name: str) -> Any:
    """The object `save_pickled` stored, or None when the component was not trained."""
    try:
        with model_storage.read_from(resource) as directory:
            return pickle.loads((directory / name).read_bytes())  # noqa: S301 (our own model archive)
    except (ValueError, FileNotFoundError):
        logger.debug("No trained %s in %s", name, resource.name)
        return None
