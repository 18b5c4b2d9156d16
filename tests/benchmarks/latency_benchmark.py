"""Latency benchmark: Dasi's cost per message against the bot `rasa init --no-prompt` makes.

Both bots run on this machine in one run (same Rasa 3.6.21, REST channel, fresh senders)
and get the same message mix, interleaved, so a busy machine slows both alike: the verdict is
read from the ratios. It measures what issue 18 set as targets:

- 200 messages one at a time: p50 / p95 (Dasi ≤ 1.5× the reference's p50);
- 8 conversations at once: p50 / p95 and messages per second (p95 ≤ 300 ms);
- turns 1-5 against turns 36-40 of one conversation (turn 40 ≤ 1.2× turn 1);
- the first message after start on REST and on KakaoTalk (≤ 1 s);
- resident memory of every process of one `./dasi run` (≤ 2.0 GB, the console ≤ 300 MB).

The reference bot is made once under var/reference-bot (training it takes a few minutes) and
reused. Numbers are printed, not asserted: `./dasi bench latency`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "dasi.tar.gz"
REFERENCE = ROOT / "var" / "reference-bot"
REST = "/webhooks/rest/webhook"
KAKAO = "/webhooks/kakao/webhook"
KAKAO_SECRET = "latency-benchmark-secret"
TOKEN = "latency-benchmark-token"
TIMEOUT = 60.0

# What founders write, in a plausible order (a conversation cycles through it).
MIX = (
    "안녕하세요",
    "식당 하다가 작년에 폐업했어요",
    "재창업 지원 뭐 있어요?",
    "개인사업자예요",
    "연체는 없어요",
    "세금 체납이 있어요",
    "4대보험은 없어요",
    "다시 창업하고 싶어요",
    "부산이요",
    "연대보증 때문에 대출이 막혔어요",
    "가까운 센터 알려주세요",
    "고마워요",
)


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen

    def send(self, sender: str, text: str) -> float:
        started = time.perf_counter()
        response = requests.post(f"{self.url}{REST}", json={"sender": sender, "message": text}, timeout=TIMEOUT)
        response.raise_for_status()
        return (time.perf_counter() - started) * 1000


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * (len(ordered) - 1) + 0.5))]


def reference_model() -> Path:
    """The `rasa init --no-prompt` bot's model (made and trained once)."""
    models = sorted((REFERENCE / "models").glob("*.tar.gz")) if REFERENCE.exists() else []
    if models:
        return models[-1]
    shutil.rmtree(REFERENCE, ignore_errors=True)
    REFERENCE.mkdir(parents=True)
    print("  making the reference bot with `rasa init --no-prompt` (trains once, a few minutes) ...", flush=True)
    subprocess.run(
        [str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(REFERENCE)],
        cwd=REFERENCE,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return sorted((REFERENCE / "models").glob("*.tar.gz"))[-1]


def start_reference(port: int, log: Path) -> Server:
    model = reference_model()
    process = subprocess.Popen(
        [str(VENV_BIN / "rasa"), "run", "--model", str(model), "--port", str(port)],
        cwd=REFERENCE,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Server("rasa init", f"http://127.0.0.1:{port}", process)


def start_dasi(port: int, workdir: Path, log: Path) -> Server:
    env = {
        **os.environ,
        "DASI_PORT": str(port),
        "DASI_ACTION_PORT": str(port + 50),
        "DASI_API_TOKEN": TOKEN,
        "DASI_TRACKER_DB": str(workdir / "tracker.db"),
        "DASI_KAKAO_SECRET": KAKAO_SECRET,
        "DASI_CONSOLE_USERS": "agent:latency-benchmark-password",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.serve", "--model", str(MODEL)],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Server("Dasi", f"http://127.0.0.1:{port}", process)


def wait_until_serving(server: Server, path: str = "/", timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} stopped during start-up")
        try:
            if requests.get(f"{server.url}{path}", timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{server.name} did not start within {timeout:.0f} s")


def wait_for_dasi(server: Server, port: int) -> None:
    """Rasa, the action server and the console all answer (what `./dasi run` waits for)."""
    wait_until_serving(server)
    wait_until_serving(Server("actions", f"http://127.0.0.1:{port + 50}", server.process), "/health")
    wait_until_serving(Server("console", f"http://127.0.0.1:{port + 1}", server.process), "/console/")


def kakao_request(server: Server, user: str, text: str) -> float:
    body = {
        "intent": {"id": "intent-id", "name": "폴백 블록"},
        "userRequest": {
            "timezone": "Asia/Seoul",
            "params": {},
            "block": {"id": "block-id", "name": "폴백 블록"},
            "utterance": text,
            "lang": None,
            "user": {"id": user, "type": "accountId", "properties": {}},
        },
        "bot": {"id": "latency-benchmark", "name": "다시"},
        "action": {"name": "dasi", "clientExtra": None, "params": {}, "id": "action-id", "detailParams": {}},
    }
    started = time.perf_counter()
    response = requests.post(
        f"{server.url}{KAKAO}", json=body, headers={"X-Dasi-Skill-Secret": KAKAO_SECRET}, timeout=TIMEOUT
    )
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000


def resident_megabytes(root_pid: int) -> dict[str, float]:
    """RSS of a process and all its descendants, by command (from /proc)."""
    children: dict[int, list[int]] = {}
    commands: dict[int, str] = {}
    rss: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        pid, parent = int(entry.name), int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(pid)
        commands[pid] = command
        resident = [line for line in status.splitlines() if line.startswith("VmRSS:")]
        rss[pid] = int(resident[0].split()[1]) / 1024 if resident else 0.0
    found: dict[str, float] = {}
    stack = [root_pid]
    while stack:
        pid = stack.pop()
        stack += children.get(pid, [])
        if rss.get(pid):
            found[label_of(commands.get(pid, ""))] = found.get(label_of(commands.get(pid, "")), 0.0) + rss[pid]
    return found


def label_of(command: str) -> str:
    if "rasa_sdk" in command or "run actions" in command:
        return "action server"
    if "bot.console" in command:
        return "console"
    if "bot.serve" in command:
        return "launcher"
    return "Rasa"


def sequential(servers: Sequence[Server], messages: int) -> dict[str, list[float]]:
    """`messages` messages one at a time to each server, interleaved message by message."""
    timings: dict[str, list[float]] = {server.name: [] for server in servers}
    senders = {server.name: uuid.uuid4().hex for server in servers}
    for index in range(messages):
        if index % len(MIX) == 0:
            senders = {server.name: uuid.uuid4().hex for server in servers}
        for server in servers:
            timings[server.name].append(server.send(senders[server.name], MIX[index % len(MIX)]))
    return timings


def concurrent(server: Server, conversations: int, turns: int) -> tuple[list[float], float]:
    """`conversations` founders at once, each sending `turns` messages in order."""

    def talk(_: int) -> list[float]:
        sender = uuid.uuid4().hex
        return [server.send(sender, MIX[turn % len(MIX)]) for turn in range(turns)]

    started = time.perf_counter()
    with ThreadPoolExecutor(conversations) as pool:
        timings = [ms for result in pool.map(talk, range(conversations)) for ms in result]
    return timings, len(timings) / (time.perf_counter() - started)


def long_conversation(servers: Sequence[Server], turns: int = 40) -> dict[str, list[float]]:
    """One conversation of `turns` messages per server, interleaved."""
    senders = {server.name: uuid.uuid4().hex for server in servers}
    timings: dict[str, list[float]] = {server.name: [] for server in servers}
    for turn in range(turns):
        for server in servers:
            timings[server.name].append(server.send(senders[server.name], MIX[turn % len(MIX)]))
    return timings


def stop(server: Server) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)


def row(label: str, dasi: float, reference: float, unit: str = "ms", target: str = "") -> str:
    ratio = dasi / reference if reference else float("nan")
    return f"  {label:<40} {dasi:>9.0f} {reference:>9.0f} {unit:<4} {ratio:>6.2f}×  {target}"


def check(passed: bool) -> str:
    return "ok" if passed else "MISSED"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=18300)
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args(argv)
    if not MODEL.exists():
        raise SystemExit("no trained model: run ./dasi train")
    workdir = Path(tempfile.mkdtemp(prefix="dasi-latency-"))
    log = workdir / "servers.log"
    reference = start_reference(args.port + 10, log)
    dasi = start_dasi(args.port, workdir, log)
    servers: list[Server] = [dasi, reference]
    try:
        wait_until_serving(reference)
        wait_for_dasi(dasi, args.port)
        # the first message after start, on each channel (no warm-up message was sent by us)
        first_rest = dasi.send(uuid.uuid4().hex, MIX[0])
        first_kakao = kakao_request(dasi, f"kakao-{uuid.uuid4().hex[:8]}", MIX[0])
        first_reference = reference.send(uuid.uuid4().hex, MIX[0])
        results = sequential(servers, args.messages)
        greeting = {name: statistics.median(t[:: len(MIX)]) for name, t in results.items()}
        long = long_conversation(servers)
        loads = {server.name: concurrent(server, 8, len(MIX)) for server in servers}
        memory = resident_megabytes(dasi.process.pid)
        reference_memory = sum(resident_megabytes(reference.process.pid).values())
    finally:
        for server in servers:
            stop(server)
    d, r = results["Dasi"], results["rasa init"]
    print(f"Latency benchmark: Dasi against `rasa init --no-prompt`, REST, {os.cpu_count()} CPU cores, one run")
    print(f"  {'':<40} {'Dasi':>9} {'rasa init':>9} {'':<4} {'ratio':>7}  target")
    p50, p95 = statistics.median(d), percentile(d, 0.95)
    print(row(f"{args.messages} messages one at a time: p50", p50, statistics.median(r), target="≤ 1.5×"))
    print(row("  p95", p95, percentile(r, 0.95)))
    print(row("a greeting (first turn of a conversation)", greeting["Dasi"], greeting["rasa init"]))
    early = {name: statistics.median(t[:5]) for name, t in long.items()}
    late = {name: statistics.median(t[35:40]) for name, t in long.items()}
    print(row("turns 1-5 of one conversation: median", early["Dasi"], early["rasa init"]))
    print(row("turns 36-40: median", late["Dasi"], late["rasa init"]))
    (dl, dt), (rl, rt) = loads["Dasi"], loads["rasa init"]
    print(row("8 conversations at once: p50", statistics.median(dl), statistics.median(rl)))
    print(row("  p95", percentile(dl, 0.95), percentile(rl, 0.95), target="Dasi ≤ 300 ms"))
    print(row("  messages per second", dt, rt, unit="/s"))
    print(row("first message after start: REST", first_rest, first_reference, target="≤ 1,000 ms"))
    print(f"  {'first message after start: KakaoTalk':<40} {first_kakao:>9.0f} {'':>9} ms{'':>13}≤ 1,000 ms")
    total = sum(memory.values())
    parts = ", ".join(f"{name} {mb:.0f}" for name, mb in sorted(memory.items(), key=lambda item: -item[1]))
    print(row("resident memory of one run (MB)", total, reference_memory, unit="MB", target="≤ 2,000 MB"))
    print(f"    Dasi by process (MB): {parts}")
    turn_ratio = late["Dasi"] / early["Dasi"]
    verdicts = [
        ("sequential p50 ≤ 1.5× the reference", p50 <= 1.5 * statistics.median(r)),
        ("8 at once: p95 ≤ 300 ms", percentile(dl, 0.95) <= 300),
        (f"turn 40 ≤ 1.2× turn 1 (Dasi {turn_ratio:.2f}×)", turn_ratio <= 1.2),
        ("first message ≤ 1 s on REST and KakaoTalk", max(first_rest, first_kakao) <= 1000),
        ("memory ≤ 2,000 MB, console ≤ 300 MB", total <= 2000 and memory.get("console", 0) <= 300),
    ]
    for label, passed in verdicts:
        print(f"  {check(passed):>6}  {label}")
    print("  Reported, not asserted: both bots share this machine's cores with each other and the load generator.")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
