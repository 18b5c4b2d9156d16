"""An SQL tracker store (SQLite by default, PostgreSQL in production) that masks personal data.

Every event is masked before it is written (user text, parse data, slot values, bot text),
so resident registration, phone, card and account numbers and e-mail addresses never land
in the database in clear text. Configured in the endpoints as
`type: bot.privacy.tracker_store.MaskingSQLTrackerStore`.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot import rasa_patches
from bot.privacy.masking import mask_value

# Every Dasi Rasa server (SQLite or PostgreSQL) loads this store: Rasa's own code is changed here.
rasa_patches.apply()

logger = logging.getLogger(__name__)


class MaskingSQLTrackerStore(SQLTrackerStore):
    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores the tracker's new events, masked (same rows as SQLTrackerStore)."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data: dict[str, Any] = mask_value(event.as_dict())  # type: ignore[assignment]
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
        logger.debug("Tracker stored (masked)")

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """SQLTrackerStore._retrieve reading only the `data` column: the same events, without
        building an ORM object per stored row (a long conversation is read back on every message)."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions)
            events = [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data).all()]
        if not self.domain or not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Events sent to an event broker are masked as well."""
        if not self.event_broker:
            return
        previous = await self.retrieve(tracker.sender_id)
        offset = len(previous.events) if previous else 0
        for event in list(tracker.events)[offset:]:
            body: dict[str, Any] = {"sender_id": tracker.sender_id, **mask_value(event.as_dict())}  # type: ignore[dict-item]
            self.event_broker.publish(body)
