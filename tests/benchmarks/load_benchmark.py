"""Load benchmark: concurrent REST conversations through nginx, one Rasa replica against two.

Starts `deploy/scale_out.py` once with two replicas (a fresh PostgreSQL database for the run,
Redis as the lock store); nginx also listens on a second port that sends everything to the
first replica only. The same fixed load goes through that port (one replica), then through
the balanced port (two replicas): CONVERSATIONS founders
talking at once, each sending TURNS strictly in order (the next turn only after the reply
to the previous one). Prints p50/p95 latency per message, messages per second and errors
side by side, then checks integrity through the HTTP API: every conversation's tracker holds
exactly the turns sent, in order, each answered. Exits non-zero only when integrity fails;
speed is reported, not asserted.

Each replica gets one warm-up conversation, sent to it directly and not measured: a replica's
first prediction takes seconds (model graphs are built lazily), which is start-up, not load.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from deploy.scale_out import Topology, drop_database, launch, missing_services, terminate, wait_until_serving

# What founders say to Dasi, in a plausible order: a greeting, the restart programs, where
# they live, a barrier, another barrier, thanks.
TURNS = (
    "안녕하세요",
    "재창업 지원 뭐 있어요?",
    "대구에 살아요",
    "세금 체납이 있어요",
    "연대보증 때문에 대출이 막혔어요",
    "고마워요",
)
CONVERSATIONS = 16
TOKEN = "load-benchmark-token"
REDIS_DB = 5  # tests/integration/test_postgres_redis.py uses 3, test_scale_out.py 6
REQUEST_TIMEOUT = 60.0
REST = "/webhooks/rest/webhook"


@dataclass
class Turn:
    sender: str
    text: str
    seconds: float
    replies: int
    error: str | None = None


@dataclass
class Run:
    replicas: int
    start_seconds: float = 0.0
    load_seconds: float = 0.0
    cpu_busy: float | None = None  # share of the machine's CPU time in use during the load
    turns: list[Turn] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    served_by: Counter[str] = field(default_factory=Counter)

    @property
    def latencies(self) -> list[float]:
        return [turn.seconds for turn in self.turns if turn.error is None]

    @property
    def errors(self) -> int:
        return sum(turn.error is not None for turn in self.turns)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def converse(url: str, sender: str, turns: Sequence[str]) -> list[Turn]:
    """One founder: each turn is sent only after the reply to the previous one."""
    results = []
    with requests.Session() as session:
        for text in turns:
            started = time.perf_counter()
            try:
                response = session.post(
                    f"{url}{REST}", json={"sender": sender, "message": text}, timeout=REQUEST_TIMEOUT
                )
                response.raise_for_status()
                results.append(Turn(sender, text, time.perf_counter() - started, len(response.json())))
            except (requests.RequestException, ValueError) as error:
                results.append(Turn(sender, text, time.perf_counter() - started, 0, f"{type(error).__name__}: {error}"))
    return results


def cpu_counters() -> tuple[int, int] | None:
    """Total and idle CPU time of the whole machine so far (Linux /proc/stat), in ticks."""
    try:
        values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    return sum(values), values[3] + values[4]  # idle + iowait


def busy_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    if before is None or after is None or after[0] == before[0]:
        return None
    return 1 - (after[1] - before[1]) / (after[0] - before[0])


def run_load(url: str, senders: Sequence[str], turns: Sequence[str]) -> tuple[list[Turn], float]:
    """All conversations at once; returns every turn and the wall time of the whole load."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(senders)) as pool:
        conversations = list(pool.map(lambda sender: converse(url, sender, turns), senders))
    return [turn for conversation in conversations for turn in conversation], time.perf_counter() - started


def integrity_problems(url: str, token: str, turns: Sequence[Turn], sent: Sequence[str]) -> list[str]:
    """Every tracker holds exactly the sent turns in order, each followed by a bot message."""
    problems = [
        f"{turn.sender}: {turn.text!r} got no reply ({turn.error or 'empty'})" for turn in turns if not turn.replies
    ]
    for sender in dict.fromkeys(turn.sender for turn in turns):
        response = requests.get(f"{url}/conversations/{sender}/tracker", params={"token": token}, timeout=30)
        if not response.ok:
            problems.append(f"{sender}: tracker unavailable ({response.status_code})")
            continue
        events = response.json()["events"]
        said = [event.get("text") for event in events if event["event"] == "user"]
        if said != list(sent):
            problems.append(f"{sender}: user events {said} differ from the turns sent {list(sent)}")
        problems += [f"{sender}: no bot message after {text!r}" for text in unanswered(events)]
    return problems


def unanswered(events: Sequence[dict[str, Any]]) -> list[str]:
    """User messages with no bot message before the next user message (or the end)."""
    silent: list[str] = []
    pending: str | None = None  # the last user message while it has no answer yet
    for event in events:
        if event["event"] == "user":
            if pending is not None:
                silent.append(pending)
            pending = str(event.get("text"))
        elif event["event"] == "bot":
            pending = None
    return silent if pending is None else [*silent, pending]


def upstreams(access_log_lines: Sequence[str]) -> Counter[str]:
    """Which replica nginx sent each REST message to (deploy/scale_out.py's log format)."""
    pattern = re.compile(rf'"POST {REST}" \d+ upstream=(\S+)')
    return Counter(match.group(1) for match in map(pattern.search, access_log_lines) if match)


def warm_up(topology: Topology, run_id: str) -> None:
    """One conversation per replica, sent to it directly, not measured."""
    with ThreadPoolExecutor(max_workers=topology.replicas) as pool:
        for port in topology.replica_ports:
            pool.submit(converse, f"http://127.0.0.1:{port}", f"warmup-{run_id}-{port}", TURNS)


def load(topology: Topology, url: str, run: Run, senders: Sequence[str], turns: Sequence[str]) -> None:
    access_log = topology.var / "nginx-access.log"
    skip = len(access_log.read_text().splitlines())
    before = cpu_counters()
    run.turns, run.load_seconds = run_load(url, senders, turns)
    run.cpu_busy = busy_share(before, cpu_counters())
    run.served_by = upstreams(access_log.read_text().splitlines()[skip:])
    run.problems = integrity_problems(topology.url, TOKEN, run.turns, turns)


def measure(topology: Topology, run_id: str, conversations: int, turns: Sequence[str]) -> list[Run]:
    """One replica (nginx's single-replica port), then two (the balanced port), one start-up."""
    runs = [Run(1), Run(topology.replicas)]
    topology.var.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    process = launch(topology, TOKEN, topology.var / "scale-out.log")
    try:
        wait_until_serving(topology, TOKEN, lambda: process.poll() is None)
        for run in runs:
            run.start_seconds = time.perf_counter() - started
        warm_up(topology, run_id)
        assert topology.single_url is not None
        for run, url in zip(runs, (topology.single_url, topology.url), strict=True):
            senders = [f"load-{run_id}-{run.replicas}r-{index:02d}" for index in range(conversations)]
            load(topology, url, run, senders, turns)
    except RuntimeError as error:
        log = (topology.var / "scale-out.log").read_text(errors="replace")[-3000:]
        runs[-1].problems.append(f"the scale-out script did not serve: {error}\n{log}")
    finally:
        terminate(process)
    return runs


def table(runs: Sequence[Run]) -> str:
    def row(label: str, values: Sequence[str]) -> str:
        return f"  {label:<26}" + "".join(f"{value:>16}" for value in values)

    def per_second(run: Run) -> str:
        return f"{len(run.latencies) / run.load_seconds:.1f}" if run.load_seconds else "-"

    lines = [
        row("", [f"{run.replicas} replica{'s' if run.replicas > 1 else ''}" for run in runs]),
        row("messages sent", [str(len(run.turns)) for run in runs]),
        row("latency p50 (ms)", [f"{percentile(run.latencies, 0.50) * 1000:.0f}" for run in runs]),
        row("latency p95 (ms)", [f"{percentile(run.latencies, 0.95) * 1000:.0f}" for run in runs]),
        row("messages per second", [per_second(run) for run in runs]),
        row("load wall time (s)", [f"{run.load_seconds:.1f}" for run in runs]),
        row("errors", [str(run.errors) for run in runs]),
        row("machine CPU busy (%)", ["-" if run.cpu_busy is None else f"{run.cpu_busy * 100:.0f}" for run in runs]),
        row("integrity", ["ok" if not run.problems else f"{len(run.problems)} problems" for run in runs]),
        row("start-up until serving (s)", [f"{run.start_seconds:.0f}" for run in runs]),  # shared
    ]
    for run in runs:
        shares = ", ".join(f"{upstream} {count}" for upstream, count in sorted(run.served_by.items()))
        lines.append(f"  messages per replica ({run.replicas}): {shares or '-'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=CONVERSATIONS)
    parser.add_argument("--turns", type=int, default=len(TURNS), choices=range(1, len(TURNS) + 1))
    args = parser.parse_args(argv)
    turns = TURNS[: args.turns]
    run_id = uuid.uuid4().hex[:8]
    base = Topology(port=19180, first_replica_port=19105, action_port=19155, postgres_db=f"dasi_load_{run_id}")
    missing = missing_services(base)
    if missing:
        print(f"load benchmark skipped: missing {'; '.join(missing)}")
        return 0
    cores = os.cpu_count() or 1
    print(
        f"Load benchmark: {args.conversations} concurrent conversations x {len(turns)} turns over REST through "
        f"nginx (least_conn), PostgreSQL tracker store (database {base.postgres_db}, fresh), Redis lock store "
        f"(DB {REDIS_DB}); {cores} CPU cores.",
        flush=True,
    )
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="dasi-load-") as directory:
        topology = Topology(
            replicas=2,
            port=base.port,
            single_port=base.port + 1,
            first_replica_port=base.first_replica_port,
            action_port=base.action_port,
            postgres_db=base.postgres_db,
            redis_db=REDIS_DB,
            var=Path(directory),
        )
        print("  starting two replicas; measuring one (first replica only), then two ...", flush=True)
        try:
            runs = measure(topology, run_id, args.conversations, turns)
        finally:
            drop_database(base)
    print(table(runs))
    print(
        f"\n  Speed is reported, not asserted. Both columns share this machine's {cores} cores with the action "
        "server, PostgreSQL, Redis, nginx, this load generator and anything else running (the CPU row "
        "counts all of it), so the ratio is not what a replica on a machine of its own would add. One "
        "replica handles turns in one event loop that also waits on blocking calls (Rasa's SQL tracker "
        "store and Redis lock store are synchronous): a second replica can use that idle CPU, and once "
        "the cores are busy more replicas add nothing."
    )
    problems = [problem for run in runs for problem in run.problems]
    for problem in problems[:20]:
        print(f"  INTEGRITY: {problem}", file=sys.stderr)
    if problems:
        print(f"integrity failed: {len(problems)} problems", file=sys.stderr)
        return 1
    print("  integrity: every conversation holds exactly its turns, in order, each answered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
