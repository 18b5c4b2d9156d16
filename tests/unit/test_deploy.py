"""The multi-machine topology: docker-compose validates the compose file (no image is pulled)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "docker-compose.yml"


@pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose not installed (./dasi setup installs it)"
)
def test_compose_file_is_valid_and_has_the_whole_topology() -> None:
    env = {
        **os.environ,
        "DASI_API_TOKEN": "token",
        "DASI_POSTGRES_PASSWORD": "password",
        "DASI_CONSOLE_USERS": "kim:console-password",
        "DASI_CONSOLE_SESSION_SECRET": "secret",
    }
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    assert set(config["services"]) == {"postgres", "redis", "actions", "console", "rasa-1", "rasa-2", "nginx"}
    for replica in ("rasa-1", "rasa-2"):
        environment = config["services"][replica]["environment"]
        assert environment["DASI_POSTGRES_HOST"] == "postgres" and environment["DASI_REDIS_HOST"] == "redis"
    # the action server queues handoffs in the console; the console reads Rasa through nginx
    assert config["services"]["actions"]["environment"]["DASI_CONSOLE_URL"] == "http://console:5006"
    assert config["services"]["console"]["environment"]["DASI_RASA_URL"] == "http://nginx"


def test_compose_refuses_to_start_without_secrets() -> None:
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose not installed")
    env = {key: value for key, value in os.environ.items() if not key.startswith("DASI_")}
    result = subprocess.run(["docker-compose", "-f", str(COMPOSE), "config"], capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "set DASI_" in result.stderr + result.stdout


def test_nginx_keeps_socketio_sessions_on_one_replica() -> None:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    # a consistent hash of the whole client address (ip_hash uses three octets only) for
    # socket.io, least connections for the rest, as deploy/scale_out.py generates it
    assert "hash $remote_addr consistent;" in conf and "least_conn;" in conf
    assert "proxy_set_header Upgrade" in conf and "ip_hash;" not in conf


def test_nginx_accepts_the_compose_configuration(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(nginx, os.X_OK):
        pytest.skip("nginx not installed (./dasi setup installs it)")
    # the compose service names do not resolve here: loopback stands in for them
    site = (ROOT / "deploy" / "nginx.conf").read_text().replace("rasa-1:5005", "127.0.0.1:5005")
    site = (
        site.replace("rasa-2:5005", "127.0.0.1:5006")
        .replace("console:5006", "127.0.0.1:5007")
        .replace("listen 80;", "listen 127.0.0.1:18099;")
    )
    (tmp_path / "site.conf").write_text(site)
    temporary = " ".join(
        f"{kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{ {temporary} include {tmp_path}/site.conf; }}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
