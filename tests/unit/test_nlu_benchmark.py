"""The NLU benchmark's bookkeeping: the split, the scores and the default pipeline's record.

The record replays a recorded run of Rasa's default pipeline only while its inputs are the same;
these tests pin what "the same" means and that replayed outputs are scored like fresh ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmarks.nlu_benchmark import Example, Parsed, Record, fingerprint, score, split

EXAMPLES = [Example(f"{intent} 예문 {i}", intent, []) for intent in ("greet", "thank", "ask_center") for i in range(8)]


def parsed_as(
    examples: list[Example], intents: list[str], regions: list[list[tuple[int, int]]] | None = None
) -> list[Parsed]:
    regions = regions or [[] for _ in examples]
    return [
        Parsed(text=e.text, intent=i, confidence=0.9, fallback=False, regions=r, milliseconds=5.0 + n)
        for n, (e, i, r) in enumerate(zip(examples, intents, regions, strict=True))
    ]


def test_split_holds_out_a_quarter_of_every_intent_and_never_the_same_text_twice() -> None:
    train, held_out = split(EXAMPLES)
    assert {e.intent for e in held_out} == {"greet", "thank", "ask_center"}
    assert all(sum(e.intent == intent for e in held_out) == 2 for intent in ("greet", "thank", "ask_center"))
    assert not {e.text for e in train} & {e.text for e in held_out}
    assert split(EXAMPLES) == (train, held_out)  # fixed seed: the same split every run


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "default_config.yml"
    path.write_text("pipeline:\n- name: DIETClassifier\n  epochs: 100\n")
    return path


def test_the_fingerprint_changes_with_any_input_and_only_then(config: Path) -> None:
    train, held_out = split(EXAMPLES)
    blind = [Example("고마워요 정말", "thank", [])]
    key = fingerprint(config, train, held_out, blind)
    assert fingerprint(config, list(train), list(held_out), list(blind)) == key

    relabelled = [Example(train[0].text, "thank" if train[0].intent != "thank" else "greet", [])] + train[1:]
    annotated = [Example(train[0].text, train[0].intent, [(0, 2)])] + train[1:]
    assert fingerprint(config, relabelled, held_out, blind) != key
    assert fingerprint(config, annotated, held_out, blind) != key
    assert fingerprint(config, train, held_out[1:], blind) != key
    assert fingerprint(config, train, held_out, []) != key
    config.write_text(config.read_text().replace("100", "50"))
    assert fingerprint(config, train, held_out, blind) != key


def test_the_fingerprint_changes_with_a_pinned_package(config: Path, tmp_path: Path, monkeypatch) -> None:
    import tests.benchmarks.nlu_benchmark as benchmark

    monkeypatch.setattr(benchmark, "ROOT", tmp_path)
    lock = tmp_path / "requirements.lock"
    lock.write_text("tensorflow==2.12.0\n")
    train, held_out = split(EXAMPLES)
    key = fingerprint(config, train, held_out, [])
    lock.write_text("tensorflow==2.12.1\n")
    assert fingerprint(config, train, held_out, []) != key


def test_a_record_comes_back_as_it_was_saved(tmp_path: Path) -> None:
    _, held_out = split(EXAMPLES)
    record = Record(
        fingerprint="abc",
        recorded_at="2026-11-29 07:00 UTC",
        machine="2 cores",
        train_seconds=1988.0,
        held_out=parsed_as(held_out, [e.intent for e in held_out], [[(0, 2)]] + [[] for _ in held_out[1:]]),
        blind=parsed_as([Example("부산 센터요", "ask_center", [])], ["ask_center"]),
    )
    path = tmp_path / "record.json"
    record.save(path)
    assert Record.load(path) == record
    assert len(path.read_text().splitlines()) >= len(held_out) + 2  # one message per line: a record diffs by message
    assert Record.load(tmp_path / "missing.json") is None


def test_replayed_outputs_are_scored_like_fresh_ones_and_only_against_their_own_messages() -> None:
    _, held_out = split(EXAMPLES)
    perfect = score("p", held_out, parsed_as(held_out, [e.intent for e in held_out]), 1.0)
    assert perfect.intent_macro_f1 == 1.0 and perfect.intent_accuracy == 1.0

    wrong = [e.intent for e in held_out]
    wrong[0] = "thank" if wrong[0] != "thank" else "greet"
    assert score("w", held_out, parsed_as(held_out, wrong), 1.0).intent_macro_f1 < 1.0

    with pytest.raises(AssertionError):
        score("x", held_out, parsed_as(list(reversed(held_out)), [e.intent for e in held_out]), 1.0)


def test_region_spans_count_as_found_missed_or_invented() -> None:
    examples = [Example("부산에서 왔어요", "inform", [(0, 2)]), Example("대구 살아요", "inform", [(0, 2)])]
    outputs = parsed_as(examples, ["inform", "inform"], [[(0, 2)], [(3, 5)]])
    result = score("r", examples, outputs, 1.0)
    assert (result.region_precision, result.region_recall) == (0.5, 0.5)
