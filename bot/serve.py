"""Starts the action server and the Rasa server together; Ctrl-C stops both.

Used by `./dasi run` (and `./dasi shell`). Settings come from the environment:
DASI_PORT (5005), DASI_ACTION_PORT (5055), DASI_API_TOKEN (generated if unset),
DASI_CORS_ORIGINS (comma-separated, default the server's own origin), DASI_TRACKER_DB,
DASI_CONSOLE_PORT (the agent console, DASI_PORT + 1) and DASI_CONSOLE_USERS (name:password
pairs; when unset, this run makes a one-off password for the account `agent` and prints it).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def notices_line(env: dict[str, str]) -> str:
    """Which notice sources this run fetches from (a source without its key is off)."""
    from bot.notices.sources import KEY_VARIABLES, sources_status

    names = {"bizinfo": "기업마당", "kstartup": "K-Startup"}
    status = sources_status(env)
    parts = [
        f"{names.get(source, source)} {'on' if on else f'off (no {KEY_VARIABLES[source]})'}"
        for source, on in sorted(status.items())
    ]
    return "  Notices:   " + ", ".join(parts) + "\n"


def every(
    interval: float,
    stopped: threading.Event,
    job: Callable[[], None],
    failure: str,
    start_delay: float = 0.0,
) -> None:
    """Runs `job` (after `start_delay`) and then every `interval` seconds until `stopped`.

    A round that fails is reported with `failure` and the next round runs as planned.
    """
    if start_delay and stopped.wait(start_delay):
        return
    while not stopped.is_set():
        try:
            job()
        except Exception as error:
            print(f"[dasi] {failure}: {type(error).__name__}: {error}", file=sys.stderr)
        stopped.wait(interval)


def refresh_notices_periodically(env: dict[str, str], stopped: threading.Event) -> None:
    """Fetches the open calls at start and then every DASI_NOTICES_REFRESH_HOURS (6) hours
    (and forgets those closed long ago)."""
    from bot.notices.sources import sources_status
    from bot.notices.store import NoticeStore, refresh

    if not any(sources_status(env).values()):
        return

    def refresh_once() -> None:
        with closing(NoticeStore.from_environ(env)) as store:
            for result in refresh(store, env):
                problem = f", {result.error}" if result.error else ""
                print(f"[dasi] notices from {result.source}: {len(result.notices)}{problem}", file=sys.stderr)

    # the conversation goes on without fresh notices when a round fails
    every(float(env.get("DASI_NOTICES_REFRESH_HOURS", "6")) * 3600, stopped, refresh_once, "notices not refreshed")


def send_due_reminders(env: dict[str, str], stopped: threading.Event) -> None:
    """Every DASI_REMINDER_POLL_SECONDS (60), asks Rasa to send the deadline reminders due today.

    The reminders live in the database, so the first round after a restart sends what fell due
    while Dasi was down; a reminder Rasa did not take is tried again next round.
    """
    from bot.language.dates import today
    from bot.notices.reminders import ReminderBook, deliver_due
    from bot.notices.store import NoticeStore

    def send_once() -> None:
        with closing(NoticeStore.from_environ(env)) as store:
            now = datetime.datetime.now(datetime.timezone.utc)
            sent = deliver_due(ReminderBook(store), env["DASI_RASA_URL"], env["DASI_API_TOKEN"], today(), now)
            if sent:
                print(f"[dasi] deadline reminders sent: {sent}", file=sys.stderr)

    every(
        float(env.get("DASI_REMINDER_POLL_SECONDS", "60")),
        stopped,
        send_once,
        "reminders not sent (tried again next round)",
        # after a restart the widgets reconnect within seconds; a reminder sent before they do is lost
        start_delay=float(env.get("DASI_REMINDER_START_DELAY_SECONDS", "20")),
    )


def action_server_command(port: str) -> list[str]:
    """The action server, started through rasa_sdk itself: `rasa run actions` would first import
    all of Rasa and TensorFlow (about 1 GB) for a process that only runs Dasi's rules."""
    return [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", port]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DASI_PORT", "5005")
    env.setdefault("DASI_ACTION_PORT", "5055")
    env.setdefault("DASI_ACTION_URL", f"http://127.0.0.1:{env['DASI_ACTION_PORT']}/webhook")
    env.setdefault("DASI_TRACKER_DB", str(ROOT / "var" / "dasi.db"))
    Path(env["DASI_TRACKER_DB"]).parent.mkdir(parents=True, exist_ok=True)
    if not env.get("DASI_API_TOKEN"):
        env["DASI_API_TOKEN"] = secrets.token_urlsafe(24)
        print("DASI_API_TOKEN was not set; this run uses a random token (printed below).", file=sys.stderr)
    env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}"
    env.setdefault("DASI_CONSOLE_PORT", str(int(env["DASI_PORT"]) + 1))
    env.setdefault("DASI_RASA_URL", f"http://127.0.0.1:{env['DASI_PORT']}")
    env.setdefault("DASI_CONSOLE_DB", str(Path(env["DASI_TRACKER_DB"]).parent / f"console-{env['DASI_PORT']}.db"))
    return env


def console_environment(env: dict[str, str]) -> str | None:
    """Prepares the console's settings; returns the one-off password when it made one."""
    env.setdefault("DASI_CONSOLE_URL", f"http://127.0.0.1:{env['DASI_CONSOLE_PORT']}")
    if env.get("DASI_CONSOLE_USERS"):
        return None
    password = secrets.token_urlsafe(12)
    env["DASI_CONSOLE_USERS"] = f"agent:{password}"
    return password


def action_endpoint(env: dict[str, str]) -> dict[str, object]:
    """The action server; the domain goes only to actions that declare `send_domain` (the form's
    validator): the rest are plain rules, and the whole domain with every call cost time."""
    return {"url": env["DASI_ACTION_URL"], "enable_selective_domain": True}


def runtime_endpoints(env: dict[str, str]) -> Path:
    """endpoints for this run: SQLite by default, PostgreSQL and Redis when configured.

    DASI_POSTGRES_HOST (with DASI_POSTGRES_PORT 5432, DASI_POSTGRES_DB dasi, DASI_POSTGRES_USER,
    DASI_POSTGRES_PASSWORD) switches the tracker store; DASI_REDIS_HOST (DASI_REDIS_PORT 6379,
    DASI_REDIS_DB 1) switches the lock store, which several replicas need.
    """
    tracker: dict[str, object] = {"type": "bot.privacy.tracker_store.MaskingSQLTrackerStore"}
    if env.get("DASI_POSTGRES_HOST"):
        tracker.update(
            dialect="postgresql",
            url=env["DASI_POSTGRES_HOST"],
            port=int(env.get("DASI_POSTGRES_PORT", "5432")),
            db=env.get("DASI_POSTGRES_DB", "dasi"),
            username=env.get("DASI_POSTGRES_USER", "postgres"),
            password=env.get("DASI_POSTGRES_PASSWORD", ""),
            login_db=env.get("DASI_POSTGRES_LOGIN_DB", "postgres"),
        )
    else:
        tracker.update(dialect="sqlite", db=env["DASI_TRACKER_DB"])
    endpoints: dict[str, object] = {"action_endpoint": action_endpoint(env), "tracker_store": tracker}
    if env.get("DASI_REDIS_HOST"):
        endpoints["lock_store"] = {
            "type": "redis",
            "url": env["DASI_REDIS_HOST"],
            "port": int(env.get("DASI_REDIS_PORT", "6379")),
            "db": int(env.get("DASI_REDIS_DB", "1")),
            "key_prefix": "dasi",
        }
    path = Path(env["DASI_TRACKER_DB"]).parent / f"endpoints-{env['DASI_PORT']}.yml"
    path.write_text(json.dumps(endpoints, ensure_ascii=False, indent=2))  # JSON is valid YAML
    return path


def runtime_credentials(env: dict[str, str]) -> Path:
    """credentials.yml plus the messengers whose settings are in the environment.

    Telegram: DASI_TELEGRAM_TOKEN, DASI_TELEGRAM_BOT_NAME (the bot's username),
    DASI_TELEGRAM_WEBHOOK_URL (public https URL ending in /webhooks/telegram/webhook).
    Facebook: DASI_FACEBOOK_VERIFY, DASI_FACEBOOK_SECRET (app secret), DASI_FACEBOOK_PAGE_TOKEN.
    """
    import yaml

    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8")) or {}
    if env.get("DASI_TELEGRAM_TOKEN"):
        credentials["bot.channels.messengers.DasiTelegramInput"] = {
            "access_token": env["DASI_TELEGRAM_TOKEN"],
            "verify": env.get("DASI_TELEGRAM_BOT_NAME", ""),
            "webhook_url": env.get("DASI_TELEGRAM_WEBHOOK_URL", ""),
        }
    if env.get("DASI_FACEBOOK_PAGE_TOKEN"):
        credentials["bot.channels.messengers.DasiFacebookInput"] = {
            "verify": env.get("DASI_FACEBOOK_VERIFY", ""),
            "secret": env.get("DASI_FACEBOOK_SECRET", ""),
            "page-access-token": env["DASI_FACEBOOK_PAGE_TOKEN"],
        }
    path = Path(env["DASI_TRACKER_DB"]).parent / f"credentials-{env['DASI_PORT']}.yml"
    path.write_text(json.dumps(credentials, ensure_ascii=False, indent=2))
    path.chmod(0o600)  # it may hold tokens
    return path


def logging_config(env: dict[str, str]) -> Path:
    """Rasa's log records pass through the personal-data masking filter."""
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"mask": {"()": "bot.privacy.logging_filter.MaskingFilter"}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)-8s %(name)s - %(message)s"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask"]},
        },
        "root": {"level": env.get("DASI_LOG_LEVEL", "INFO"), "handlers": ["console"]},
    }
    path = Path(env["DASI_TRACKER_DB"]).parent / f"logging-{env['DASI_PORT']}.yml"
    path.write_text(json.dumps(config, indent=2))
    return path


def wait_until_up(url: str, processes: list[subprocess.Popen], timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise SystemExit("a server exited during start-up; see the log above")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shell", action="store_true", help="chat in the terminal instead of serving")
    parser.add_argument("--model", default=str(ROOT / "models" / "dasi.tar.gz"))
    parser.add_argument("--no-console", action="store_true", help="do not start the agent console")
    parser.add_argument(
        "--no-actions",
        action="store_true",
        help="start Rasa only; the action server runs elsewhere (DASI_ACTION_URL), e.g. shared by replicas",
    )
    args = parser.parse_args()
    env = environment()
    port = env["DASI_PORT"]
    action_port = env["DASI_ACTION_PORT"]
    processes: list[subprocess.Popen] = []
    with_console = not (args.no_console or args.no_actions or args.shell)
    console_password = console_environment(env) if with_console else None

    def stop(*_: object) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()

    def on_sigterm(*_: object) -> None:
        stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        if not args.no_actions:
            processes.append(
                subprocess.Popen(
                    action_server_command(action_port),
                    cwd=ROOT,
                    env=env,
                )
            )
            if args.shell:
                wait_until_up(f"http://127.0.0.1:{action_port}/health", processes)
        if with_console:
            processes.append(subprocess.Popen([sys.executable, "-m", "bot.console"], cwd=ROOT, env=env))
        rasa = [str(VENV_BIN / "rasa")]
        common = ["--model", args.model, "--endpoints", str(runtime_endpoints(env))]
        if args.shell:
            subprocess.run([*rasa, "shell", *common], cwd=ROOT, env=env, check=False)
            return
        origins = env.get("DASI_CORS_ORIGINS", f"http://localhost:{port},http://127.0.0.1:{port}")
        cors = [item for origin in origins.split(",") if origin for item in ("--cors", origin.strip())]
        processes.append(
            subprocess.Popen(
                [
                    *rasa,
                    "run",
                    *common,
                    "--credentials",
                    str(runtime_credentials(env)),
                    "--enable-api",
                    "--auth-token",
                    env["DASI_API_TOKEN"],
                    "--port",
                    port,
                    *cors,
                ],
                cwd=ROOT,
                env=env,
            )
        )
        # the servers start in parallel (each loads its own libraries); all must be up
        wait_until_up(f"http://127.0.0.1:{port}/", processes)
        if not args.no_actions:
            wait_until_up(f"http://127.0.0.1:{action_port}/health", processes)
        console = ""
        if with_console:
            wait_until_up(f"{env['DASI_CONSOLE_URL']}/console/", processes)
            login = f"agent / {console_password}" if console_password else "accounts from DASI_CONSOLE_USERS"
            console = f"  Console:   {env['DASI_CONSOLE_URL']}/console/  ({login})\n"
        print(
            f"\nDasi is running.\n"
            f"  Web page:  http://localhost:{port}/webhooks/web/\n"
            f"  KakaoTalk: POST http://localhost:{port}/webhooks/kakao/webhook  (skill URL; DASI_KAKAO_SECRET)\n"
            f"  REST:      POST http://localhost:{port}/webhooks/rest/webhook  {{\"sender\": \"me\", \"message\": \"안녕하세요\"}}\n"
            f"  socket.io: http://localhost:{port}/socket.io/\n"
            f"  HTTP API:  http://localhost:{port}/status?token=$DASI_API_TOKEN  (token: {env['DASI_API_TOKEN']})\n"
            f"{console}"
            f"{notices_line(env)}"
            f"  Ctrl-C stops all servers.\n",
            flush=True,
        )
        stopped = threading.Event()
        threading.Thread(target=refresh_notices_periodically, args=(env, stopped), daemon=True).start()
        threading.Thread(target=send_due_reminders, args=(env, stopped), daemon=True).start()
        while all(process.poll() is None for process in processes):
            time.sleep(1)
        raise SystemExit("a server stopped unexpectedly; see the log above")
    except KeyboardInterrupt:
        pass
    finally:
        stop()


if __name__ == "__main__":
    main()
