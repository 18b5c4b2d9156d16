"""The particle helper every Korean sentence of Dasi's uses (을/를, 은/는, 로/으로)."""

from __future__ import annotations

import pytest

from bot.language.korean import final_consonant


@pytest.mark.parametrize(
    "word, final",
    [("대구", 0), ("서울", 8), ("법인", 4), ("재창업자금", 16), ("ABC", None), ("", None), ("1357", None)],
)
def test_the_final_consonant_of_the_last_syllable(word: str, final: int | None) -> None:
    assert final_consonant(word) == final
