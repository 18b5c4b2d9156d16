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
    env = {**os.environ, "DASI_API_TOKEN": "token", "DASI_POSTGRES_PASSWORD": "password"}
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    assert set(config["services"]) == {"postgres", "redis", "actions", "rasa-1", "rasa-2", "nginx"}
    for replica in ("rasa-1", "rasa-2"):
        environment = config["services"][replica]["environment"]
        assert environment["DASI_POSTGRES_HOST"] == "postgres" and environment["DASI_REDIS_HOST"] == "redis"


def test_compose_refuses_to_start_without_secrets() -> None:
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose not installed")
    env = {key: value for key, value in os.environ.items() if not key.startswith("DASI_")}
    result = subprocess.run(["docker-compose", "-f", str(COMPOSE), "config"], capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "set DASI_" in result.stderr + result.stdout


def test_nginx_keeps_socketio_sessions_on_one_replica() -> None:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "ip_hash;" in conf and "proxy_set_header Upgrade" in conf
