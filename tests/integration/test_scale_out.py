"""Two replicas behind nginx (deploy/scale_out.py, what `./dasi scale` runs) lose, duplicate and reorder nothing."""

from __future__ import annotations

import re
import socket
import subprocess
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

from deploy.scale_out import Topology, drop_database, launch, missing_services, terminate, wait_until_serving
from tests.benchmarks.load_benchmark import TURNS, integrity_problems, run_load, upstreams
from tests.conftest import MODEL

TOKEN = "scale-out-test-token"
REDIS_DB = 6  # test_postgres_redis.py uses 3, the load benchmark 5
MISSING = missing_services(Topology())

pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"scale-out needs {'; '.join(MISSING)}")


@dataclass
class Cluster:
    topology: Topology
    process: subprocess.Popen

    @property
    def access_log(self) -> list[str]:
        return (self.topology.var / "nginx-access.log").read_text().splitlines()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not MODEL.exists():
        pytest.fail("no trained model: run ./dasi train (./dasi test does it first)")
    var = tmp_path_factory.mktemp("scale-out")
    topology = Topology(
        replicas=2,
        port=19080,
        first_replica_port=19005,
        action_port=19055,
        postgres_db=f"dasi_scale_{uuid.uuid4().hex[:8]}",
        redis_db=REDIS_DB,
        var=var,
    )
    process = launch(topology, TOKEN, var / "scale-out.log")
    try:
        try:
            wait_until_serving(topology, TOKEN, lambda: process.poll() is None)
        except RuntimeError as error:
            pytest.fail(f"scale-out did not serve: {error}\n{(var / 'scale-out.log').read_text()[-3000:]}")
        yield Cluster(topology, process)
    finally:
        terminate(process)
        drop_database(topology)


def test_concurrent_conversations_keep_every_turn_in_order_across_both_replicas(cluster: Cluster) -> None:
    senders = [f"scale-{uuid.uuid4().hex[:8]}" for _ in range(4)]
    turns, _ = run_load(cluster.topology.url, senders, TURNS[:3])
    assert [turn.error for turn in turns if turn.error] == []
    assert integrity_problems(cluster.topology.url, TOKEN, turns, TURNS[:3]) == []
    served = upstreams(cluster.access_log)
    assert sum(served.values()) == 12
    # least_conn: with turns of four founders in flight at once, both replicas take some
    assert set(served) == {f"127.0.0.1:{port}" for port in cluster.topology.replica_ports}, served


class FromAddress(HTTPAdapter):
    """Connects from a given loopback address, as if the founder's device had that address."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def socketio_session(url: str, address: str) -> None:
    """engine.io long-polling: handshake, socket.io connect, poll; each must reach the same replica."""
    with requests.Session() as session:
        session.mount("http://", FromAddress(address))
        endpoint = f"{url}/socket.io/"
        opened = session.get(endpoint, params={"EIO": "4", "transport": "polling"}, timeout=10)
        opened.raise_for_status()
        sid = re.search(r'"sid":"([^"]+)"', opened.text)
        assert sid, opened.text
        params = {"EIO": "4", "transport": "polling", "sid": sid.group(1)}
        # a replica that does not hold the session answers 400 "Invalid session"
        session.post(endpoint, params=params, data="40", timeout=10).raise_for_status()
        polled = session.get(endpoint, params=params, timeout=10)
        polled.raise_for_status()
        assert polled.text.startswith("40"), polled.text


def test_socketio_sessions_stick_to_one_replica_and_clients_spread(cluster: Cluster) -> None:
    addresses = [f"127.0.0.{host}" for host in range(2, 10)]
    for address in addresses:
        socketio_session(cluster.topology.url, address)
    replicas_by_address: dict[str, set[str]] = defaultdict(set)
    pattern = re.compile(r'^(\S+) "\w+ /socket\.io/" \d+ upstream=(\S+)')
    for match in filter(None, map(pattern.match, cluster.access_log)):
        replicas_by_address[match.group(1)].add(match.group(2))
    assert all(len(replicas_by_address[address]) == 1 for address in addresses), replicas_by_address
    # ip_hash would send all of 127.0.0.x to one replica (it hashes three octets)
    assert len(set.union(*replicas_by_address.values())) == 2, replicas_by_address


def test_sigterm_stops_nginx_the_replicas_and_the_action_server(cluster: Cluster) -> None:
    """Runs last in this module: it ends the cluster the other tests use."""
    nginx_pid = int((cluster.topology.var / "nginx.pid").read_text())
    assert terminate(cluster.process) == 0
    for port in cluster.topology.ports:
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still answers"
    assert not Path(f"/proc/{nginx_pid}").exists()
