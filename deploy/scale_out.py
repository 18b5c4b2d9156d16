"""Dasi scaled out on one machine: Rasa replicas behind nginx; Ctrl-C or SIGTERM stops everything.

`./dasi scale` starts, all on loopback:
- one action server (rasa_sdk), shared by the replicas;
- N Rasa replicas (`python -m bot.serve --no-actions`, default 2) on PostgreSQL as the tracker
  store and Redis as the lock store (and for socket.io rooms that span replicas);
- Debian's nginx in the foreground as the load balancer, with a configuration generated for
  the run under the var directory (pid, temporary files and logs too); /etc/nginx and the
  system nginx service are never touched.

PostgreSQL and Redis are the machine's own: DASI_POSTGRES_HOST (127.0.0.1), DASI_POSTGRES_PORT,
DASI_POSTGRES_USER (postgres), DASI_POSTGRES_PASSWORD, DASI_REDIS_HOST (127.0.0.1),
DASI_REDIS_PORT. The database is created when missing. DASI_API_TOKEN is shared by the
replicas (a random one is printed when unset).

The load benchmark and the scale-out test run this script as a subprocess with `launch()`.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bot.serve import action_server_command

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "dasi.tar.gz"
START_TIMEOUT = 300.0  # seconds; a replica loads its model in 20-40 s, longer when all start at once


@dataclass(frozen=True)
class Topology:
    """Where everything listens, and which database and Redis DB the run uses."""

    replicas: int = 2
    port: int = 8080  # nginx, the only address clients need
    first_replica_port: int = 5005  # replica i listens on first_replica_port + i
    action_port: int = 5055
    postgres_db: str = "dasi"
    redis_db: int = 1
    # nginx also listens here and sends everything to the first replica only: the load
    # benchmark measures one replica and two on the same running processes
    single_port: int | None = None
    var: Path = ROOT / "var" / "scale-out"
    model: Path = MODEL
    postgres_host: str = field(default_factory=lambda: os.environ.get("DASI_POSTGRES_HOST", "127.0.0.1"))
    postgres_port: int = field(default_factory=lambda: int(os.environ.get("DASI_POSTGRES_PORT", "5432")))
    postgres_user: str = field(default_factory=lambda: os.environ.get("DASI_POSTGRES_USER", "postgres"))
    redis_host: str = field(default_factory=lambda: os.environ.get("DASI_REDIS_HOST", "127.0.0.1"))
    redis_port: int = field(default_factory=lambda: int(os.environ.get("DASI_REDIS_PORT", "6379")))

    @property
    def replica_ports(self) -> list[int]:
        return [self.first_replica_port + index for index in range(self.replicas)]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def single_url(self) -> str | None:
        return f"http://127.0.0.1:{self.single_port}" if self.single_port else None

    @property
    def ports(self) -> list[int]:
        extra = [self.single_port] if self.single_port else []
        return [self.port, *extra, self.action_port, *self.replica_ports]

    def arguments(self) -> list[str]:
        """The command-line arguments that give this topology to the script."""
        return [
            f"--replicas={self.replicas}",
            f"--port={self.port}",
            f"--first-replica-port={self.first_replica_port}",
            f"--action-port={self.action_port}",
            f"--postgres-db={self.postgres_db}",
            f"--redis-db={self.redis_db}",
            *([f"--single-port={self.single_port}"] if self.single_port else []),
            f"--var={self.var}",
            f"--model={self.model}",
        ]


def find_nginx() -> str | None:
    """Debian's nginx (/usr/sbin is not on every user's PATH)."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def missing_services(topology: Topology) -> list[str]:
    """What this machine lacks to run the topology (empty when everything is there)."""
    import psycopg2
    import redis  # type: ignore[import-untyped]

    missing = []
    if find_nginx() is None:
        missing.append("nginx (./dasi setup installs it from Debian as root)")
    try:
        psycopg2.connect(**postgres_login(topology), connect_timeout=3).close()
    except psycopg2.Error:
        missing.append(f"PostgreSQL on {topology.postgres_host}:{topology.postgres_port}")
    try:
        redis.Redis(host=topology.redis_host, port=topology.redis_port, socket_timeout=3).ping()
    except redis.RedisError:
        missing.append(f"Redis on {topology.redis_host}:{topology.redis_port}")
    return missing


def postgres_login(topology: Topology, database: str = "postgres") -> dict[str, object]:
    return {
        "host": topology.postgres_host,
        "port": topology.postgres_port,
        "user": topology.postgres_user,
        "password": os.environ.get("DASI_POSTGRES_PASSWORD", ""),
        "dbname": database,
    }


def create_database(topology: Topology) -> None:
    """Creates the tracker database when missing, so replicas starting together never race to."""
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(**postgres_login(topology))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (topology.postgres_db,))
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(topology.postgres_db)))
    finally:
        connection.close()


def drop_database(topology: Topology) -> None:
    """Drops the tracker database (the benchmark and the test use a fresh one per run)."""
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(**postgres_login(topology))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(topology.postgres_db))
            )
    finally:
        connection.close()


def nginx_config(topology: Topology) -> str:
    """The load balancer: sticky for socket.io, least connections for everything else."""
    var = topology.var
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in topology.replica_ports)
    # Workers of a root master run as `nobody` by default and could not write the temporary
    # paths under var; they run as the invoking user instead.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    return f"""# Generated by deploy/scale_out.py for one run; deploy/nginx.conf is its docker-compose twin.
{user}worker_processes 1;
pid {var}/nginx.pid;
error_log {var}/nginx-error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    log_format dasi '$remote_addr "$request_method $uri" $status upstream=$upstream_addr time=$request_time';
    access_log {var}/nginx-access.log dasi;
    client_body_temp_path {var}/nginx-temp/body;
    proxy_temp_path {var}/nginx-temp/proxy;
    fastcgi_temp_path {var}/nginx-temp/fastcgi;
    uwsgi_temp_path {var}/nginx-temp/uwsgi;
    scgi_temp_path {var}/nginx-temp/scgi;

    # REST, the HTTP API, the web page and KakaoTalk: any replica can take any turn, because
    # a conversation lives in PostgreSQL and the Redis lock store serialises its turns.
    upstream dasi {{
        least_conn;
{servers}
    }}

    # socket.io is sticky: engine.io's long-polling requests of one session must reach the
    # replica that holds the session. `ip_hash` would not do: it hashes only the first three
    # octets of an IPv4 address, so every client on 127.0.0.x (and every founder behind one
    # carrier NAT /24) lands on one replica. A consistent hash of the whole address spreads
    # clients and moves few of them when a replica is added or removed.
    upstream dasi_socketio {{
        hash $remote_addr consistent;
{servers}
    }}

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        '' close;
    }}

    server {{
        listen 127.0.0.1:{topology.port};
        client_max_body_size 256k;

        location /socket.io/ {{
            proxy_pass http://dasi_socketio;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 1h;  # an idle websocket stays open
        }}

        location / {{
            proxy_pass http://dasi;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 60s;
        }}
    }}
{single_replica_server(topology)}}}
"""


def single_replica_server(topology: Topology) -> str:
    """A second listener that uses the first replica only (for a one-replica measurement)."""
    if not topology.single_port:
        return ""
    return f"""
    server {{
        listen 127.0.0.1:{topology.single_port};
        location / {{
            proxy_pass http://127.0.0.1:{topology.first_replica_port};
            proxy_set_header Host $host;
            proxy_read_timeout 60s;
        }}
    }}
"""


def replica_environment(topology: Topology, port: int, token: str) -> dict[str, str]:
    """What bot.serve reads: its port, the shared action server, PostgreSQL and Redis."""
    env = dict(os.environ)
    env.update(
        DASI_PORT=str(port),
        DASI_ACTION_URL=f"http://127.0.0.1:{topology.action_port}/webhook",
        DASI_API_TOKEN=token,
        # bot.serve writes the run's endpoints next to this file; SQLite itself is never used
        DASI_TRACKER_DB=str(topology.var / "unused-sqlite.db"),
        DASI_POSTGRES_HOST=topology.postgres_host,
        DASI_POSTGRES_PORT=str(topology.postgres_port),
        DASI_POSTGRES_USER=topology.postgres_user,
        DASI_POSTGRES_DB=topology.postgres_db,
        DASI_REDIS_HOST=topology.redis_host,
        DASI_REDIS_PORT=str(topology.redis_port),
        DASI_REDIS_DB=str(topology.redis_db),
        PYTHONPATH=f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    )
    env.setdefault("DASI_CORS_ORIGINS", f"http://localhost:{topology.port},http://127.0.0.1:{topology.port}")
    return env


def die_with_parent() -> None:
    """Runs in each child before exec: its own session, and SIGTERM if this script dies."""
    os.setsid()
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def answers(url: str, **params: str) -> bool:
    try:
        return requests.get(url, params=params, timeout=2).ok
    except requests.RequestException:
        return False


def serving(topology: Topology, token: str) -> bool:
    """The action server, every replica (model loaded) and nginx answer."""
    return (
        answers(f"http://127.0.0.1:{topology.action_port}/health")
        and all(answers(f"http://127.0.0.1:{port}/status", token=token) for port in topology.replica_ports)
        and answers(f"{topology.url}/")
    )


def wait_until_serving(
    topology: Topology, token: str, alive: Callable[[], bool], timeout: float = START_TIMEOUT
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError("a process exited during start-up")
        if serving(topology, token):
            return
        time.sleep(1)
    raise RuntimeError(f"not serving within {timeout:.0f} s")


class ScaleOut:
    """The processes of one run; `stop()` ends them in reverse order."""

    def __init__(self, topology: Topology, token: str) -> None:
        self.topology = topology
        self.token = token
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self) -> None:
        topology = self.topology
        busy = [port for port in topology.ports if port_in_use(port)]
        if busy:
            raise RuntimeError(f"ports already in use on 127.0.0.1: {busy}")
        if not topology.model.exists():
            raise RuntimeError(f"no trained model at {topology.model}: run ./dasi train")
        missing = missing_services(topology)
        if missing:
            raise RuntimeError("missing: " + "; ".join(missing))
        for directory in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (topology.var / "nginx-temp" / directory).mkdir(parents=True, exist_ok=True)
        create_database(topology)
        env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        self.spawn("actions", action_server_command(str(topology.action_port)), env)
        # All replicas load their model at the same time: on 2 cores that is slower per
        # replica than one alone, but faster than one after the other.
        for index, port in enumerate(topology.replica_ports, start=1):
            command = [sys.executable, "-m", "bot.serve", "--no-actions", "--model", str(topology.model)]
            self.spawn(f"replica-{index}", command, replica_environment(topology, port, self.token))
        self.spawn("nginx", self.nginx_command(), dict(os.environ))

    def nginx_command(self) -> list[str]:
        nginx = find_nginx()
        assert nginx is not None  # missing_services checked it
        config = self.topology.var / "nginx.conf"
        config.write_text(nginx_config(self.topology))
        var = str(self.topology.var)
        command = [nginx, "-p", var, "-c", str(config), "-e", f"{var}/nginx-error.log", "-g", "daemon off;"]
        check = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejects {config}:\n{check.stderr}")
        return command

    def spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = self.log(name)
        with log.open("w") as handle:
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, preexec_fn=die_with_parent
            )

    def log(self, name: str) -> Path:
        return self.topology.var / f"{name}.log"

    def exited(self) -> list[str]:
        return [name for name, process in self.processes.items() if process.poll() is not None]

    def tail(self, name: str, characters: int = 3000) -> str:
        return self.log(name).read_text(errors="replace")[-characters:]

    def stop(self) -> None:
        """nginx first (no new requests), then the replicas, then the action server."""
        for name in reversed(list(self.processes)):
            process = self.processes[name]
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def banner(topology: Topology, token: str) -> str:
    replicas = ", ".join(f"127.0.0.1:{port}" for port in topology.replica_ports)
    return (
        f"\nDasi is running: {topology.replicas} replica(s) behind nginx.\n"
        f"  Web page:  {topology.url}/webhooks/web/\n"
        f"  REST:      POST {topology.url}/webhooks/rest/webhook\n"
        f"  HTTP API:  {topology.url}/status?token={token}\n"
        f"  replicas:  {replicas}; action server 127.0.0.1:{topology.action_port}\n"
        f"  storage:   PostgreSQL database {topology.postgres_db!r}, Redis DB {topology.redis_db}\n"
        f"  logs:      {topology.var}/*.log (nginx-access.log names the replica of each request)\n"
        f"  Ctrl-C stops everything.\n"
    )


def parse_arguments(argv: list[str] | None = None) -> Topology:
    defaults = Topology()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicas", type=int, default=defaults.replicas)
    parser.add_argument("--port", type=int, default=defaults.port, help="nginx")
    parser.add_argument("--first-replica-port", type=int, default=defaults.first_replica_port)
    parser.add_argument("--action-port", type=int, default=defaults.action_port)
    parser.add_argument("--postgres-db", default=defaults.postgres_db)
    parser.add_argument("--redis-db", type=int, default=defaults.redis_db)
    parser.add_argument("--single-port", type=int, default=None, help="nginx to the first replica only")
    parser.add_argument("--var", type=Path, default=defaults.var, help="configuration, pid, logs")
    parser.add_argument("--model", type=Path, default=defaults.model)
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    return Topology(
        replicas=args.replicas,
        port=args.port,
        first_replica_port=args.first_replica_port,
        action_port=args.action_port,
        postgres_db=args.postgres_db,
        redis_db=args.redis_db,
        single_port=args.single_port,
        var=args.var.resolve(),
        model=args.model.resolve(),
    )


def interrupt(*_: object) -> None:
    """SIGTERM unwinds like Ctrl-C, through main's `finally`, which stops every process."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    topology = parse_arguments(argv)
    topology.var.mkdir(parents=True, exist_ok=True)
    token = os.environ.get("DASI_API_TOKEN") or secrets.token_urlsafe(24)
    cluster = ScaleOut(topology, token)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        cluster.start()
        wait_until_serving(topology, token, lambda: not cluster.exited())
        print(banner(topology, token), flush=True)
        while not cluster.exited():
            time.sleep(1)
        name = cluster.exited()[0]
        print(f"{name} stopped unexpectedly:\n{cluster.tail(name)}", file=sys.stderr)
        return 1
    except RuntimeError as error:
        print(f"scale-out failed: {error}", file=sys.stderr)
        for name in cluster.exited():
            print(f"--- {name} ({cluster.log(name)}):\n{cluster.tail(name)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        cluster.stop()
        print("stopped nginx, the replicas and the action server", file=sys.stderr)


def launch(topology: Topology, token: str, log: Path) -> subprocess.Popen:
    """Runs this script in the background (the load benchmark and the scale-out test)."""
    env = {**os.environ, "DASI_API_TOKEN": token, "PYTHONPATH": str(ROOT)}
    with log.open("w") as handle:
        return subprocess.Popen(
            [sys.executable, "-m", "deploy.scale_out", *topology.arguments()],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def terminate(process: subprocess.Popen, timeout: float = 60) -> int:
    """SIGTERM, as a service manager would send it; the script stops its children itself."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
