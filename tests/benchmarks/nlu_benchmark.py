"""NLU benchmark: Dasi's pipeline against Rasa's default pipeline on one held-out split.

Splits data/nlu by intent (fixed seed, 25% held out, never trained on), trains both
pipelines on the same training split, and prints intent macro-F1, region-entity F1 and
parse latency p50/p95 for each, side by side. Both models are also scored on a blind set
(tests/benchmarks/blind_set.tsv: messages written without seeing data/nlu, never trained on),
which says how well a pipeline generalises to wording unlike its own data. `--check` fails unless Dasi reaches
intent macro-F1 >= 0.95 and region F1 >= 0.97 and beats the default on both.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import hashlib
import json
import logging
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
HELD_OUT_SHARE = 0.25
SEED = 20261128
TARGET_INTENT_F1 = 0.95
TARGET_REGION_F1 = 0.97
DEFAULT_RECORD = ROOT / "tests" / "benchmarks" / "default_pipeline_record.json"
RECORD_VERSION = 1  # bump when Parsed or the way outputs are collected changes


@dataclass
class Example:
    text: str
    intent: str
    regions: list[tuple[int, int]]


@dataclass
class Score:
    pipeline: str
    intent_macro_f1: float
    intent_accuracy: float
    fallback_rate: float
    region_precision: float
    region_recall: float
    region_f1: float
    parse_p50_ms: float
    parse_p95_ms: float
    train_seconds: float
    threshold_sweep: str = ""
    weakest_intents: str = ""
    korean_only_f1: float = 0.0
    blind_f1: float = 0.0
    blind_accuracy: float = 0.0


def load_examples() -> list[Example]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / "data" / "nlu"))
    examples = []
    for message in data.intent_examples:
        regions = [
            (entity["start"], entity["end"]) for entity in message.get("entities", []) if entity["entity"] == "region"
        ]
        examples.append(Example(message.get("text"), message.get("intent"), regions))
    return examples


def load_blind_set() -> list[Example]:
    """The blind set: `intent<TAB>message` lines; `#` starts a comment line."""
    examples = []
    for line in (ROOT / "tests" / "benchmarks" / "blind_set.tsv").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            intent, text = line.split("\t", 1)
            examples.append(Example(text, intent, []))
    return examples


def split(examples: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    """Stratified by intent: each intent keeps HELD_OUT_SHARE of its examples for testing."""
    by_intent: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_intent[example.intent].append(example)
    generator = random.Random(SEED)
    train, test = [], []
    for intent in sorted(by_intent):
        group = sorted(by_intent[intent], key=lambda e: e.text)
        generator.shuffle(group)
        cut = max(1, round(len(group) * HELD_OUT_SHARE))
        test += group[:cut]
        train += group[cut:]
    return train, test


def training_file(examples: Sequence[Example], directory: Path) -> Path:
    """Writes the training split in Rasa's YAML format, keeping region annotations."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    messages = []
    for example in examples:
        entities = [
            {"start": start, "end": end, "entity": "region", "value": example.text[start:end]}
            for start, end in example.regions
        ]
        messages.append(Message(data={"text": example.text, "intent": example.intent, "entities": entities}))
    path = directory / "train.yml"
    RasaYAMLWriter().dump(str(path), TrainingData(training_examples=messages))
    return path


def default_config(directory: Path) -> Path:
    """Rasa's default pipeline (what an empty `pipeline:` trains), language set to ko."""
    import rasa.engine.recipes

    recipe_dir = Path(rasa.engine.recipes.__file__).parent
    config = yaml.safe_load((recipe_dir / "config_files" / "default_config.yml").read_text())
    config["language"] = "ko"
    config["assistant_id"] = "default_pipeline_benchmark"
    path = directory / "default_config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True))
    return path


def train(config: Path, data: Path, output: Path, name: str) -> tuple[Path, float]:
    from rasa.model_training import train_nlu

    # A model of the same name in `output` would be reused as "up to date": never compare stale models.
    (output / f"{name}.tar.gz").unlink(missing_ok=True)
    started = time.monotonic()
    model = train_nlu(str(config), str(data), str(output), fixed_model_name=name)
    if not model:
        raise SystemExit(f"training the {name} pipeline failed")
    return Path(model), time.monotonic() - started


@dataclass
class Parsed:
    """What a pipeline made of one message: the raw output every score is computed from."""

    text: str
    intent: str  # the classifier's own decision: top of the ranking without nlu_fallback
    confidence: float
    fallback: bool
    regions: list[tuple[int, int]]
    milliseconds: float


def parse_all(model: Path, held_out: Sequence[Example], blind: Sequence[Example]) -> tuple[list[Parsed], list[Parsed]]:
    """Raw outputs for the held-out split and the blind set, from one loaded model."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    quiet_structlog()
    loop = asyncio.new_event_loop()
    for warm in ("안녕하세요", "재창업 지원 알려주세요"):
        loop.run_until_complete(agent.parse_message(warm))

    def parse(example: Example) -> Parsed:
        started = time.perf_counter()
        parsed: dict[str, Any] = loop.run_until_complete(agent.parse_message(example.text))
        milliseconds = (time.perf_counter() - started) * 1000
        ranking = [r for r in parsed.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
        regions = sorted({(e["start"], e["end"]) for e in parsed.get("entities", []) if e["entity"] == "region"})
        return Parsed(
            text=example.text,
            intent=ranking[0]["name"] if ranking else "",
            confidence=float(ranking[0]["confidence"]) if ranking else 0.0,
            fallback=parsed.get("intent", {}).get("name") == "nlu_fallback",
            regions=regions,
            milliseconds=milliseconds,
        )

    outputs = [parse(example) for example in held_out], [parse(example) for example in blind]
    loop.close()
    return outputs


def score(
    name: str,
    examples: Sequence[Example],
    parsed: Sequence[Parsed],
    train_seconds: float,
    blind: Sequence[Example] = (),
    blind_parsed: Sequence[Parsed] = (),
) -> Score:
    from sklearn.metrics import accuracy_score, f1_score

    from bot.language.korean import in_another_language

    assert [p.text for p in parsed] == [e.text for e in examples], "outputs do not belong to these examples"
    assert [p.text for p in blind_parsed] == [e.text for e in blind], "outputs do not belong to the blind set"
    predicted = [p.intent for p in parsed]
    confidences = [p.confidence for p in parsed]
    true_positive = false_positive = false_negative = 0
    for example, output in zip(examples, parsed, strict=True):
        found, gold = {(start, end) for start, end in output.regions}, set(example.regions)
        true_positive += len(found & gold)
        false_positive += len(found - gold)
        false_negative += len(gold - found)
    blind_predicted = [p.intent for p in blind_parsed]
    blind_truth = [example.intent for example in blind]
    blind_f1 = (
        f1_score(blind_truth, blind_predicted, average="macro", labels=sorted(set(blind_truth))) if blind else 0.0
    )
    truth = [example.intent for example in examples]
    precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 0.0
    recall = true_positive / (true_positive + false_negative) if true_positive + false_negative else 0.0
    region_f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    latencies = sorted(p.milliseconds for p in parsed)
    sweep = []
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.6):
        kept = [p == t for p, t, c in zip(predicted, truth, confidences, strict=False) if c >= threshold]
        sweep.append(
            f"≥{threshold:.1f}: answers {len(kept) / len(truth):.0%} at accuracy {sum(kept) / max(1, len(kept)):.3f}"
        )
    labels = sorted(set(truth))
    # Whole messages in another language fall back on purpose (OtherLanguageDetector), so the
    # model's guess for them never reaches a founder; this F1 leaves them out.
    korean = [i for i, example in enumerate(examples) if not in_another_language(example.text)]
    korean_f1 = f1_score([truth[i] for i in korean], [predicted[i] for i in korean], average="macro", labels=labels)
    per_intent = f1_score(truth, predicted, average=None, labels=labels)
    weakest = sorted(zip(per_intent, labels, strict=True))[:6]
    return Score(
        pipeline=name,
        intent_macro_f1=float(f1_score(truth, predicted, average="macro", labels=labels)),
        intent_accuracy=float(accuracy_score(truth, predicted)),
        fallback_rate=sum(p.fallback for p in parsed) / len(parsed),
        region_precision=precision,
        region_recall=recall,
        region_f1=region_f1,
        parse_p50_ms=statistics.median(latencies),
        parse_p95_ms=latencies[int(0.95 * (len(latencies) - 1))],
        train_seconds=train_seconds,
        threshold_sweep="; ".join(sweep),
        weakest_intents=", ".join(f"{label} {value:.2f}" for value, label in weakest),
        korean_only_f1=float(korean_f1),
        blind_f1=float(blind_f1),
        blind_accuracy=sum(p == t for p, t in zip(blind_predicted, blind_truth, strict=True)) / max(1, len(blind)),
    )


def quiet_structlog() -> None:
    """Rasa's message processor logs every parse at debug level through structlog."""
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def errors(examples: Sequence[Example], parsed: Sequence[Parsed]) -> list[str]:
    return [
        f"{example.intent:>28} → {output.intent:<28} {example.text}"
        for example, output in zip(examples, parsed, strict=True)
        if output.intent and output.intent != example.intent
    ]


def fingerprint(config: Path, train: Sequence[Example], held_out: Sequence[Example], blind: Sequence[Example]) -> str:
    """Everything a pipeline's outputs on this benchmark depend on, hashed."""
    import rasa

    content = {
        "record_version": RECORD_VERSION,
        "rasa": rasa.__version__,
        # every pinned package (TensorFlow, scikit-learn …): a new version may train another model
        "packages": (ROOT / "requirements.lock").read_text(),
        "config": config.read_text(),
        "train": [asdict(example) for example in train],
        "held_out": [asdict(example) for example in held_out],
        "blind": [asdict(example) for example in blind],
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@dataclass
class Record:
    """One full run of Rasa's default pipeline on this benchmark, kept with the fingerprint of its inputs.

    Its training (DIET, 100 epochs over ~60,000 sparse features) takes about 33 minutes on two cores,
    more than the whole CI budget, and its outputs depend only on what the fingerprint hashes. So the
    test command replays a recorded run while the fingerprint matches, and trains afresh (and rewrites
    the record) as soon as the data, the split, the blind set, the default config or a pinned
    package changes. The record holds raw outputs per message; the scores are computed from them by the same
    code as Dasi's.
    """

    fingerprint: str
    recorded_at: str
    machine: str
    train_seconds: float
    held_out: list[Parsed]
    blind: list[Parsed]

    @classmethod
    def load(cls, path: Path) -> Record | None:
        if not path.exists():
            return None
        raw = json.loads(path.read_text())
        for key in ("held_out", "blind"):
            raw[key] = [Parsed(**{**p, "regions": [(start, end) for start, end in p["regions"]]}) for p in raw[key]]
        return cls(**raw)

    def save(self, path: Path) -> None:
        """One message per line, so a changed record reads as a diff of the messages it changed on."""
        head = {key: value for key, value in asdict(self).items() if key not in ("held_out", "blind")}
        lines = [json.dumps(head, ensure_ascii=False)[:-1] + ","]
        for key in ("held_out", "blind"):
            rows = [json.dumps(asdict(p), ensure_ascii=False) for p in getattr(self, key)]
            lines.append(f'"{key}": [\n' + ",\n".join(rows) + "\n]" + ("," if key == "held_out" else ""))
        path.write_text("\n".join(lines) + "}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 unless the targets are met")
    parser.add_argument("--only-dasi", action="store_true", help="skip the default pipeline")
    parser.add_argument("--show-errors", action="store_true", help="list held-out messages Dasi gets wrong")
    parser.add_argument(
        "--retrain-default", action="store_true", help="train the default pipeline even when its record is current"
    )
    parser.add_argument("--config", default=str(ROOT / "config.yml"), help="Dasi config to benchmark")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # Rasa's training cache would restore components across pipelines: train everything afresh.
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"

    examples = load_examples()
    blind = load_blind_set()
    train_split, test_split = split(examples)
    # a short reply ("잘 모르겠어요") may also be a training example: such lines are not blind
    training_texts = {example.text.strip() for example in examples}
    blind = [b for b in blind if b.text.strip() not in training_texts]
    test_texts = {example.text for example in test_split}
    assert not any(example.text in test_texts for example in train_split), "held-out text leaked into training"
    output = ROOT / "results" / "benchmark"
    output.mkdir(parents=True, exist_ok=True)
    scores: list[Score] = []
    replayed = ""
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        data = training_file(train_split, directory)
        dasi_config = yaml.safe_load(Path(args.config).read_text())
        dasi_only_nlu = copy.deepcopy(dasi_config)
        (directory / "dasi_config.yml").write_text(yaml.safe_dump(dasi_only_nlu, allow_unicode=True))
        print(f"training dasi on {len(train_split)} examples …", file=sys.stderr, flush=True)
        model, seconds = train(directory / "dasi_config.yml", data, output, "dasi")
        dasi_parsed, dasi_blind = parse_all(model, test_split, blind)
        scores.append(score("dasi", test_split, dasi_parsed, seconds, blind, dasi_blind))
        if args.show_errors:
            print("\n".join(errors(test_split, dasi_parsed)))
        if not args.only_dasi:
            config = default_config(directory)
            key = fingerprint(config, train_split, test_split, blind)
            record = None if args.retrain_default else Record.load(DEFAULT_RECORD)
            if record and record.fingerprint == key:
                print(
                    f"rasa_default: replaying the run recorded {record.recorded_at} on {record.machine}"
                    f" (inputs unchanged, fingerprint {key[:12]}; --retrain-default trains it again)",
                    file=sys.stderr,
                    flush=True,
                )
                replayed = (
                    f"rasa_default is the run recorded {record.recorded_at} on {record.machine} on these same"
                    f" inputs (fingerprint {key[:12]}): its parse latency and training time are that run's"
                )
            else:
                why = "asked to" if args.retrain_default else "no record of these inputs"
                print(f"training rasa_default on {len(train_split)} examples ({why}) …", file=sys.stderr, flush=True)
                model, seconds = train(config, data, output, "rasa_default")
                held_out, blind_outputs = parse_all(model, test_split, blind)
                record = Record(
                    fingerprint=key,
                    recorded_at=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    machine=f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}",
                    train_seconds=round(seconds, 1),
                    held_out=held_out,
                    blind=blind_outputs,
                )
                record.save(DEFAULT_RECORD)
                print(f"wrote {DEFAULT_RECORD.relative_to(ROOT)}: commit it", file=sys.stderr, flush=True)
            scores.append(score("rasa_default", test_split, record.held_out, record.train_seconds, blind, record.blind))

    intents = len({example.intent for example in examples})
    regions = sum(len(example.regions) for example in test_split)
    print(
        f"\nNLU benchmark: {len(examples)} examples, {intents} intents; held out {len(test_split)}"
        f" ({HELD_OUT_SHARE:.0%} per intent, seed {SEED}), {regions} region mentions held out"
    )
    header = f"{'pipeline':<14}{'intent F1':>10}{'accuracy':>10}{'fallback':>10}{'region P':>10}{'region R':>10}{'region F1':>10}{'p50 ms':>9}{'p95 ms':>9}{'train s':>9}"
    print(header)
    for s in scores:
        print(
            f"{s.pipeline:<14}{s.intent_macro_f1:>10.3f}{s.intent_accuracy:>10.3f}{s.fallback_rate:>10.3f}"
            f"{s.region_precision:>10.3f}{s.region_recall:>10.3f}{s.region_f1:>10.3f}"
            f"{s.parse_p50_ms:>9.1f}{s.parse_p95_ms:>9.1f}{s.train_seconds:>9.0f}"
        )
    if replayed:
        print(replayed)
    for s in scores:
        print(f"{s.pipeline} confidence thresholds — {s.threshold_sweep}")
        print(f"{s.pipeline} weakest intents (F1) — {s.weakest_intents}")
        print(f"{s.pipeline} intent macro-F1 without whole messages in another language — {s.korean_only_f1:.3f}")
        print(
            f"{s.pipeline} blind set ({len(blind)} messages written without seeing the data, never trained on)"
            f" — intent macro-F1 {s.blind_f1:.3f}, accuracy {s.blind_accuracy:.3f}"
        )
    (output / "scores.json").write_text(json.dumps([asdict(s) for s in scores], indent=2))
    if not args.check:
        return 0
    dasi = scores[0]
    failures = []
    if dasi.intent_macro_f1 < TARGET_INTENT_F1:
        failures.append(f"intent macro-F1 {dasi.intent_macro_f1:.3f} < {TARGET_INTENT_F1}")
    if dasi.region_f1 < TARGET_REGION_F1:
        failures.append(f"region F1 {dasi.region_f1:.3f} < {TARGET_REGION_F1}")
    for other in scores[1:]:
        if dasi.intent_macro_f1 <= other.intent_macro_f1:
            failures.append(f"intent F1 does not beat {other.pipeline}")
        if dasi.region_f1 <= other.region_f1:
            failures.append(f"region F1 does not beat {other.pipeline}")
    if failures:
        print("NLU benchmark FAILED: " + "; ".join(failures))
        return 1
    print("NLU benchmark passed: targets met and the default pipeline beaten on both.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
