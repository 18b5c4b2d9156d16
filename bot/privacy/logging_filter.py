"""A logging filter that masks personal data in every record (used by ./dasi run's log config)."""

from __future__ import annotations

import logging

from bot.privacy.masking import mask_text, mask_value


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_text(record.msg)
        if record.args:
            record.args = mask_value(list(record.args)) if isinstance(record.args, tuple) else mask_value(record.args)  # type: ignore[assignment]
            if isinstance(record.args, list):
                record.args = tuple(record.args)
        return True


def install() -> None:
    """Adds the filter to the root logger's handlers (and any handler added later through it)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(existing, MaskingFilter) for existing in handler.filters):
            handler.addFilter(MaskingFilter())
