#!/usr/bin/env python3
"""Process-level fault injection for the Mission Authority (scripts/faults runs this).

Scenarios:
  kill    signed token requests from several clients while the server is killed with SIGKILL
          and restarted repeatedly; then: every token a client received has exactly one
          access.granted audit row (by jti), PRAGMA integrity_check is ok, the audit chain
          verifies, and restart-to-ready is measured.
  diskfull  the data directory on a small tmpfs filled to the last byte: refusals are quick
          (the status and latency are measured), no token without its audit row, and the MA
          recovers once space is freed.

The server is the Application graph run by the SecurityFaultServer harness in the test bundle
(the maserver CLI is not wired in this branch). Only the standard library and `cryptography`.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

RESOURCE = "https://flights.example"


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Agent:
    """An hwk agent signing RFC 9421 requests with its own Ed25519 key."""

    def __init__(self, port: int):
        self.key = Ed25519PrivateKey.generate()
        raw = self.key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.signature_key = f'sig=hwk;kty="OKP";crv="Ed25519";x="{b64u(raw)}";alg="Ed25519"'
        self.port = port
        self.authority = f"127.0.0.1:{port}"

    def request(self, method: str, path: str, body: dict | None = None, timeout: float = 5.0):
        payload = json.dumps(body, separators=(",", ":")).encode() if body is not None else b""
        headers = {"Host": self.authority}
        components = ['"@method"', '"@authority"', '"@path"']
        lines = [f'"@method": {method}', f'"@authority": {self.authority}', f'"@path": {path}']
        if payload:
            digest = "sha-256=:" + base64.b64encode(hashlib.sha256(payload).digest()).decode() + ":"
            headers["Content-Type"] = "application/json"
            headers["Content-Digest"] = digest
            components += ['"content-type"', '"content-digest"']
            lines += ['"content-type": application/json', f'"content-digest": {digest}']
        headers["Signature-Key"] = self.signature_key
        components.append('"signature-key"')
        lines.append(f'"signature-key": {self.signature_key}')
        params = f'({" ".join(components)});created={int(time.time())};nonce="{uuid.uuid4()}"'
        lines.append(f'"@signature-params": {params}')
        signature = self.key.sign("\n".join(lines).encode())
        headers["Signature-Input"] = "sig=" + params
        headers["Signature"] = "sig=:" + base64.b64encode(signature).decode() + ":"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=payload or None, headers=headers)
            response = connection.getresponse()
            data = response.read()
            return response.status, dict(response.getheaders()), data
        finally:
            connection.close()


class Server:
    """The harness process: started, killed and restarted on one data directory."""

    def __init__(self, bundle: str, data: str, port: int):
        self.bundle, self.data, self.port = bundle, data, port
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        """Starts the server; returns seconds from spawn until it answers HTTP."""
        env = dict(os.environ, MA_FAULT_DATA=self.data, MA_FAULT_PORT=str(self.port))
        began = time.monotonic()
        self.process = subprocess.Popen(
            [self.bundle, "--testing-library", "swift-testing", "--filter", "SecurityFaultServer"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while time.monotonic() - began < 30:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                connection.request("GET", "/.well-known/aauth-person.json", headers={"Host": f"127.0.0.1:{self.port}"})
                if connection.getresponse().status == 200:
                    return time.monotonic() - began
            except OSError:
                pass
            time.sleep(0.005)
        raise RuntimeError("server not ready within 30 s")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def admin(self, path: str):
        secret = open(os.path.join(self.data, "admin.secret")).read().strip()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{self.port}", "Authorization": "Bearer " + secret})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")


class Load:
    """Client threads asking for tokens until stopped; every 200 is an acknowledged decision."""

    def __init__(self, port: int, clients: int):
        self.port, self.clients = port, clients
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acknowledged: list[str] = []
        self.statuses: dict[int, int] = {}
        self.refusal_ms: list[float] = []
        self.errors = 0
        self.sample_refusal = None
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(clients)]

    def note(self, status: int, elapsed: float) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status >= 500:
                self.refusal_ms.append(elapsed * 1000)

    def run(self) -> None:
        agent = Agent(self.port)
        s256 = None
        while not self.stop.is_set():
            try:
                if s256 is None:
                    status, _, data = agent.request(
                        "POST", "/mission", {"description": "Fault load", "resources": [RESOURCE]})
                    if status == 200:
                        s256 = json.loads(data)["s256"]
                    else:
                        time.sleep(0.05)
                    continue
                began = time.monotonic()
                status, _, data = agent.request(
                    "POST", "/token", {"mission_s256": s256, "resource": RESOURCE, "scope": "search"})
                self.note(status, time.monotonic() - began)
                if status >= 500 and self.sample_refusal is None:
                    self.sample_refusal = f"{status} {data.decode(errors='replace')}"
                if status == 200:
                    token = json.loads(data)["auth_token"]
                    claims = json.loads(b64u_decode(token.split(".")[1]))
                    with self.lock:
                        self.acknowledged.append(claims["jti"])
            except (OSError, http.client.HTTPException, ValueError):
                with self.lock:
                    self.errors += 1
                time.sleep(0.01)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=10)


def audit_rows(database: str) -> dict[str, int]:
    """access.granted audit rows per token id, read straight from the (possibly crashed) file."""
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute(
            "SELECT token_id, count(*) FROM audit_events WHERE action = 'access.granted' GROUP BY token_id").fetchall()
        return {token: count for token, count in rows}
    finally:
        connection.close()


def integrity(database: str) -> str:
    result = subprocess.run(["sqlite3", database, "PRAGMA integrity_check;"], capture_output=True, text=True)
    return (result.stdout + result.stderr).strip()


def check_decisions(name: str, acknowledged: list[str], rows: dict[str, int]) -> dict:
    lost = [jti for jti in acknowledged if jti not in rows]
    duplicated = [token for token, count in rows.items() if count > 1]
    repeated = len(acknowledged) - len(set(acknowledged))
    return {"scenario": name, "acknowledged": len(acknowledged), "audit_rows": sum(rows.values()),
            "lost": len(lost), "duplicated": len(duplicated) + repeated}


def scenario_kill(bundle: str, kills: int, clients: int, port: int) -> dict:
    data = tempfile.mkdtemp(prefix="ma-faults-kill-")
    server = Server(bundle, data, port)
    try:
        ready: list[float] = [server.start()]
        with Load(port, clients) as load:
            for _ in range(kills):
                time.sleep(random.uniform(0.3, 1.0))
                server.kill()
                ready.append(server.start())
            time.sleep(0.5)
    finally:
        server.kill()
    database = os.path.join(data, "ma.sqlite")
    check = integrity(database)
    result = check_decisions("kill", load.acknowledged, audit_rows(database))
    server.start()
    status, verified = server.admin("/audit/verify")
    server.kill()
    shutil.rmtree(data, ignore_errors=True)
    ready_sorted = sorted(ready[1:])
    result.update({
        "kills": kills, "clients": clients, "statuses": load.statuses, "client_errors": load.errors,
        "integrity_check": check, "audit_verify": verified.get("status"), "audit_events": verified.get("count"),
        "restart_ready_ms_median": round(1000 * ready_sorted[len(ready_sorted) // 2], 1),
        "restart_ready_ms_max": round(1000 * ready_sorted[-1], 1),
    })
    result["ok"] = (result["lost"] == 0 and result["duplicated"] == 0 and check == "ok"
                    and result["audit_verify"] == "ok" and result["acknowledged"] > 0)
    return result


def scenario_diskfull(bundle: str, clients: int, port: int, size_mb: int) -> dict:
    mount = tempfile.mkdtemp(prefix="ma-faults-tmpfs-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", mount], check=True)
    server = Server(bundle, os.path.join(mount, "data"), port)
    try:
        data = os.path.join(mount, "data")
        server.data = data
        server.start()
        filler = os.path.join(mount, "filler")
        probe = Agent(port)
        probe_s256 = None
        while probe_s256 is None:
            # The first second after a start refuses signatures created in it (Docs/Protocol.md).
            status, _, proposed = probe.request("POST", "/mission", {"description": "Probe", "resources": [RESOURCE]})
            probe_s256 = json.loads(proposed)["s256"] if status == 200 else time.sleep(0.1)
        probe_ms: list[float] = []
        probe_statuses: dict[int, int] = {}
        with Load(port, clients) as load:
            time.sleep(1.0)
            # Fill the file system to the last byte while the load runs.
            with open(filler, "wb") as handle:
                try:
                    while True:
                        handle.write(b"\0" * 65536)
                        handle.flush()
                except OSError:
                    pass
            try:
                with open(filler, "ab") as handle:
                    while True:
                        handle.write(b"\0" * 512)
                        handle.flush()
            except OSError:
                pass
            # A lone probe, one request at a time, while the load goes on: the refusal latency
            # one agent sees (the load's own figures include queueing behind the other clients).
            probe_end = time.monotonic() + 3.0
            while time.monotonic() < probe_end:
                began = time.monotonic()
                status, _, _ = probe.request(
                    "POST", "/token", {"mission_s256": probe_s256, "resource": RESOURCE, "scope": "search"})
                probe_ms.append((time.monotonic() - began) * 1000)
                probe_statuses[status] = probe_statuses.get(status, 0) + 1
                time.sleep(0.02)
            with load.lock:
                during = dict(load.statuses)
                refusal_ms = list(load.refusal_ms)
            os.remove(filler)
            freed = time.monotonic()
            acknowledged_before = len(load.acknowledged)
            recovered = None
            while time.monotonic() - freed < 10:
                with load.lock:
                    if len(load.acknowledged) > acknowledged_before:
                        recovered = time.monotonic() - freed
                        break
                time.sleep(0.01)
            time.sleep(0.5)
        server.kill()
        database = os.path.join(data, "ma.sqlite")
        result = check_decisions("diskfull", load.acknowledged, audit_rows(database))
        check = integrity(database)
        server.start()
        _, verified = server.admin("/audit/verify")
        server.kill()
        refusal_ms.sort()

        def percentile(fraction: float):
            return round(refusal_ms[min(len(refusal_ms) - 1, int(len(refusal_ms) * fraction))], 1) if refusal_ms else None

        result.update({
            "tmpfs_mb": size_mb, "statuses_while_full": during, "statuses_total": load.statuses,
            "refusals_5xx": len(refusal_ms), "refusal_ms_median": percentile(0.5), "refusal_ms_p99": percentile(0.99),
            "refusal_ms_max": percentile(1.0), "sample_refusal": load.sample_refusal,
            "probe_statuses": probe_statuses,
            "probe_ms_median": round(sorted(probe_ms)[len(probe_ms) // 2], 1),
            "probe_ms_p95": round(sorted(probe_ms)[int(len(probe_ms) * 0.95)], 1),
            "probe_ms_max": round(max(probe_ms), 1),
            "recovery_s": round(recovered, 3) if recovered is not None else None,
            "integrity_check": check, "audit_verify": verified.get("status"),
        })
        # The 100 ms bound is judged on the lone probe's median: on a shared 2-core
        # machine the slowest requests measure the scheduler (every figure is reported).
        result["ok"] = (result["lost"] == 0 and result["duplicated"] == 0 and check == "ok"
                        and result["audit_verify"] == "ok" and recovered is not None and recovered <= 5.0
                        and all(code in (200, 503) for code in load.statuses) and len(refusal_ms) > 0
                        # A nearly full disk may still fit a few small rows into free pages, so a
                        # probe may succeed now and then; what must hold is that it is mostly
                        # refused, clearly, and that nothing succeeds without its audit row (above).
                        and set(probe_statuses) <= {200, 503} and 503 in probe_statuses
                        and result["probe_ms_median"] <= 100)
        return result
    finally:
        server.kill()
        subprocess.run(["umount", "-l", mount], check=False)
        shutil.rmtree(mount, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bundle", required=True, help="the test bundle holding SecurityFaultServer")
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=18_481)
    parser.add_argument("--scenario", choices=["kill", "diskfull", "all"], default="all")
    parser.add_argument("--tmpfs-mb", type=int, default=8)
    args = parser.parse_args()
    results = []
    if args.scenario in ("kill", "all"):
        results.append(scenario_kill(args.bundle, args.kills, args.clients, args.port))
        print(json.dumps(results[-1]), flush=True)
    if args.scenario in ("diskfull", "all"):
        results.append(scenario_diskfull(args.bundle, args.clients, args.port + 1, args.tmpfs_mb))
        print(json.dumps(results[-1]), flush=True)
    failed = [result["scenario"] for result in results if not result["ok"]]
    print(f"[security] faults: scenarios={len(results)} failed={failed or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
