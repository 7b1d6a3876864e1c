#!/usr/bin/env python3
"""Slow and many clients against a real `maserver` (Docs/Testing.md, "Slow and many clients").

Starts the debug (or given) maserver on 127.0.0.1 with short test timeouts, then:
  (a) baseline: the normal client, wrk with one thread and 2 keep-alive connections, each pausing 1 ms
      between requests (Tests/Battery/paced.lua), on GET /.well-known/jwks.json;
  (b) slowhttptest slow headers (-H), slow body (-B) and slow read (-X), 1,000 connections each,
      while wrk measures the same client again: no errors, p99 <= 3x max(baseline, 2 ms); the server held
      the slow connections, closed none before its deadline and all of them by it;
  (c) 1,000 (--long: 10,000) idle keep-alive connections: RSS per connection, a live client meanwhile
      (no errors, p99 <= 3x max(baseline, 2 ms)), every one closed at the idle timeout;
  (d) a second server under `prlimit --nofile=256`, 400 connections: no crash, established connections
      still served, server CPU during the exhaustion below 5 % of a core (no accept busy-loop), a
      new client served within 1 s after the connections close.
Both servers must then stop cleanly on SIGTERM (exit 0). Prints a table; with --summary FILE also
appends its rows there. Exits 1 on any failed check. Traffic goes to 127.0.0.1 only; every loop is
bounded in time.
"""
import argparse
import json
import os
import re
import resource
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PATH = "/.well-known/jwks.json"
REQUEST = b"GET " + PATH.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Test timeouts (ms): distinct, so each attack is provably closed by its own deadline. The server's
# deadline sweep runs every quarter of the shortest timeout (ConnectionTimeouts.tick).
HEADER_MS, REQUEST_MS, WRITE_MS = 7000, 9000, 8000
SWEEP_S = min(HEADER_MS, REQUEST_MS, WRITE_MS, 4000) / 4000  # with the 6 s idle timeout: 1 s
# A deadline may be noticed one sweep late; on a shared 2-core machine allow 1.5 s more.
LATE_SLACK_S = SWEEP_S + 1.5
P99_FACTOR = 3.0
# The 3x rule's baseline is floored at 2 ms. The baseline is measured without the attacker; during an
# attack slowhttptest, wrk and the server are three busy processes on 2 cores, and a thread woken
# while both cores are taken waits for a time slice (a few ms) whatever the server does. Measured on
# a quiet machine: baselines of p99 0.6-1.2 ms, and 3.9-4.6 ms during attacks whose p50 did not move;
# unfloored, the rule failed on scheduling alone. Real stalls (a 105 ms burst, a 146 ms window) are
# far above the floored limit of 6 ms. Both ratios are printed.
P99_FLOOR_MS = 2.0


class Failure(Exception):
    pass


class Server:
    """One maserver process on a port it picks itself, with a fresh data directory."""

    def __init__(self, binary, work, name, http=None, nofile=None):
        self.work = os.path.join(work, name)
        os.makedirs(os.path.join(self.work, "data"), mode=0o700)
        config = {
            "listen": "127.0.0.1:0",
            "development": True,
            "data_dir": os.path.join(self.work, "data"),
            "log": {"level": "warning", "access_log": False},
        }
        if http:
            config["http"] = http
        self.config = os.path.join(self.work, "maserver.json")
        with open(self.config, "w") as f:
            json.dump(config, f)
        command = [binary, "serve", "--config", self.config]
        if nofile:
            command = ["prlimit", f"--nofile={nofile}", "--"] + command
        self.log = open(os.path.join(self.work, "server.log"), "w")
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.pid = self.process.pid
        self.port = None
        ready = threading.Event()

        def read_stdout():
            # Reads the announced port, then keeps draining so the server never blocks on the pipe.
            for line in self.process.stdout:
                match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
                if match and self.port is None:
                    self.port = int(match.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=read_stdout, daemon=True).start()
        ready.wait(timeout=60)
        if self.port is None:
            self.process.kill()
            raise Failure(f"{name}: maserver did not start (see {self.log.name})")
        status, _ = get(self.port, "/healthz", timeout=10)
        if status != 200:
            raise Failure(f"{name}: /healthz answered {status}")

    def alive(self):
        return self.process.poll() is None

    def fds(self):
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def settled_fds(self):
        """The descriptor count once it has not changed for 0.3 s (a client that just left is
        closed by the server when it reads the EOF), at most 5 s of waiting."""
        last, stable_since, deadline = self.fds(), time.monotonic(), time.monotonic() + 5
        while time.monotonic() < deadline and time.monotonic() - stable_since < 0.3:
            time.sleep(0.05)
            now = self.fds()
            if now != last:
                last, stable_since = now, time.monotonic()
        return last

    def rss_kib(self):
        with open(f"/proc/{self.pid}/status") as f:
            return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))

    def cpu_seconds(self):
        fields = open(f"/proc/{self.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime

    def stop(self):
        """SIGTERM, then the exit status: 0 is a clean drain; anything else (or a signal) is not."""
        if not self.alive():
            return self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return "hung on SIGTERM"


class Sampler:
    """Samples the server's open descriptors every 50 ms on a thread, with monotonic timestamps."""

    def __init__(self, server):
        self.server, self.samples, self.running = server, [], True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while self.running:
            try:
                self.samples.append((time.monotonic(), self.server.fds()))
            except (FileNotFoundError, ProcessLookupError):
                return
            time.sleep(0.05)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.samples


def get(port, path, timeout):
    """One GET on a fresh connection; (status, seconds) or (None, seconds) on any socket error."""
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        match = re.match(rb"HTTP/1\.1 (\d{3}) ", data)
        return (int(match.group(1)) if match else None), time.monotonic() - start
    except OSError:
        return None, time.monotonic() - start


def read_response(sock):
    """Reads one response with Content-Length framing; returns the status."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise Failure("connection closed before a response")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?im)^content-length:\s*(\d+)", head).group(1))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise Failure("connection closed inside a response")
        body += chunk
    return int(head[9:12])


LATENCY_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(port, seconds, log_path):
    """The normal client: wrk -t1 -c2, paced (Tests/Battery/paced.lua, 1 ms between requests), with
    --latency; returns p50/p99 (ms), requests and error counts."""
    command = ["wrk", "-t1", "-c2", f"-d{seconds}s", "--timeout", "5s", "--latency",
               "-s", os.path.join(ROOT, "Tests/Battery/paced.lua"), f"http://127.0.0.1:{port}{PATH}"]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=seconds + 30)
    with open(log_path, "a") as f:
        f.write(" ".join(command) + "\n" + result.stdout + "\n")
    out = result.stdout

    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not match:
            raise Failure(f"wrk printed no {percent}% latency:\n{out}")
        return float(match.group(1)) * LATENCY_UNITS[match.group(2)]

    errors = 0
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if match:
        errors = sum(int(g) for g in match.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = re.search(r"(\d+) requests in", out)
    return {
        "p50": latency(50), "p99": latency(99), "requests": int(requests.group(1)) if requests else 0,
        "errors": errors + (int(non2xx.group(1)) if non2xx else 0), "status": result.returncode,
    }


class Report:
    def __init__(self):
        self.rows, self.failures = [], []

    def check(self, ok, what):
        if not ok:
            self.failures.append(what)
        return ok

    def row(self, part, cases, passed, figures):
        self.rows.append(f"| {part} | {cases} | {passed} | {figures} |")


def normal_client_ok(report, label, run, baseline):
    """The normal client during a phase against its baseline measured just before that phase."""
    ok = report.check(baseline["errors"] == 0 and baseline["status"] == 0, f"{label}: wrk saw {baseline['errors']} errors in the baseline")
    ok &= report.check(run["errors"] == 0 and run["status"] == 0, f"{label}: wrk saw {run['errors']} errors")
    limit = P99_FACTOR * max(baseline["p99"], P99_FLOOR_MS)
    ok &= report.check(run["p99"] <= limit, f"{label}: p99 {run['p99']:.2f} ms > {limit:.2f} ms "
                       f"({P99_FACTOR:g}x max(baseline {baseline['p99']:.2f} ms, {P99_FLOOR_MS:g} ms))")
    return ok, (f"normal client p50 {run['p50']:.2f} ms, p99 {run['p99']:.2f} ms = {run['p99'] / baseline['p99']:.2f}x "
                f"its baseline p99 {baseline['p99']:.2f} ms (limit {limit:.2f} ms), {run['requests']:,} requests, "
                f"{run['errors']} errors")


# The three slowhttptest modes: flags, the path attacked, and the deadlines that may close such a
# connection (earliest, latest), in seconds.
ATTACKS = {
    # Slowloris: one more header line a second; the head deadline answers 408 and closes.
    "H": ("slow headers", ["-H", "-i", "1", "-x", "24"], "/.well-known/jwks.json",
          (HEADER_MS / 1000, HEADER_MS / 1000)),
    # R-U-Dead-Yet: a complete head with Content-Length 8192, the body a few bytes a second; the
    # whole-request deadline answers 408 and closes.
    "B": ("slow body", ["-B", "-i", "1", "-x", "24", "-s", "8192"], "/token",
          (REQUEST_MS / 1000, REQUEST_MS / 1000)),
    # Slow read: 10 pipelined GET /metrics (~4 KB each) read 5 bytes a second through a 1-64 byte
    # window, so the responses cannot drain and the write deadline closes the connection; one whose
    # responses all fitted in the kernel's buffers is idle instead and goes at the idle timeout.
    "X": ("slow read", ["-X", "-k", "10", "-n", "1", "-z", "5", "-w", "1", "-y", "64"], "/metrics", None),
}
# Connections opened per second. 1,000 connections then take 5 s to open, shorter than every deadline
# above, so the server holds all of them at once. The slow-read connections each send 10 real
# requests: at 1,000/s their first second is a 10,000-request burst, a load test rather than a
# slowness test (measured: the normal client's p99 rose to ~180 ms during that second).
RATE = int(os.environ.get("SLOW_RATE", "200"))


def slow_attack(report, server, work, mode, connections, idle_s):
    """One slowhttptest mode with `connections` connections while wrk measures the normal client."""
    name, flags, path, deadlines = ATTACKS[mode]
    earliest, latest = deadlines or (min(WRITE_MS / 1000, idle_s), max(WRITE_MS / 1000, idle_s))
    rate = min(RATE, connections)
    ramp = connections / rate
    baseline = wrk(server.port, 4, os.path.join(work, "wrk.log"))
    base_fds = server.settled_fds()
    prefix = os.path.join(work, f"slowhttptest-{mode}")
    command = ["slowhttptest", *flags, "-c", str(connections), "-r", str(rate), "-l", str(int(ramp + latest + 15)),
               "-p", "3", "-g", "-o", prefix, "-u", f"http://127.0.0.1:{server.port}{path}"]
    sampler = Sampler(server)
    start = time.monotonic()
    with open(prefix + ".out", "w") as out:
        attacker = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        time.sleep(0.3)
        # The normal client through the ramp, the hold and the first closes.
        run = wrk(server.port, int(ramp + earliest + 1), os.path.join(work, "wrk.log"))
        # Wait (bounded) until every slow connection is gone from the server.
        limit = start + ramp + latest + LATE_SLACK_S + 5
        while time.monotonic() < limit and sampler.samples[-1][1] > base_fds + 2:
            time.sleep(0.1)
        time.sleep(0.2)
    finally:
        samples = sampler.stop()
        if attacker.poll() is None:
            attacker.send_signal(signal.SIGINT)  # slowhttptest writes its report and exits
            try:
                attacker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                attacker.kill()
                attacker.wait()
    # The timeline as the server saw it: the first sample with slow connections, the first at the
    # peak (all of them open), the first clearly below the peak, the first back at the base.
    # The baseline brackets the phase: measured alone just before and just after it, the larger p99
    # counts, so load from outside the test that starts or stops meanwhile does not decide the rule.
    after = wrk(server.port, 4, os.path.join(work, "wrk.log"))
    if after["p99"] > baseline["p99"]:
        baseline = dict(after, errors=baseline["errors"] + after["errors"], status=baseline["status"] or after["status"])
    held = [count - base_fds for _, count in samples]
    peak = max(held)
    first_open = next((t for t, c in samples if c - base_fds > 2), start)
    peak_at = next(t for t, c in samples if c - base_fds == peak)
    after_peak = [(t, c - base_fds) for t, c in samples if t >= peak_at]
    first_close = next((t for t, c in after_peak if c < peak - max(2, connections // 100)), None)
    all_closed = next((t for t, c in after_peak if c <= 2), None)

    label = f"slow {mode} ({name})"
    ok = report.check(server.alive(), f"{label}: the server died")
    ok &= report.check(peak >= 0.95 * connections, f"{label}: the server held only {peak} of {connections} slow connections")
    ok &= report.check(all_closed is not None, f"{label}: {held[-1]} slow connections still open {limit - start:.0f} s after the start")
    if first_close is not None:
        ok &= report.check(first_close - first_open >= earliest - 0.1,
                           f"{label}: first close {first_close - first_open:.2f} s after the first open, before the {earliest:g} s deadline")
    if all_closed is not None:
        ok &= report.check(all_closed - peak_at <= latest + LATE_SLACK_S,
                           f"{label}: last close {all_closed - peak_at:.2f} s after the last open (deadline {latest:g} s)")
    client_ok, client_figures = normal_client_ok(report, label, run, baseline)
    ok &= client_ok
    deadline = f"{earliest:g} s" if earliest == latest else f"{earliest:g}-{latest:g} s"
    closing = (f"server held {peak:,} at once; first closed {first_close - first_open:.2f} s after the first opened, "
               f"the last {all_closed - peak_at:.2f} s after the last opened (deadline {deadline})"
               if first_close and all_closed else f"server held {peak:,} at once")
    report.row(f"slowhttptest -{mode} ({name}), {connections:,} connections at {rate:,}/s", 1, "yes" if ok else "NO",
               f"{closing}; {client_figures}")


def idle_connections(report, server, work, count, idle_s, baseline):
    """`count` keep-alive connections that each made one request and then stay idle."""
    fds_before = server.settled_fds()
    rss_before = server.rss_kib()
    sockets, idle_since = [], {}
    start = time.monotonic()
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        s.sendall(REQUEST)
        if read_response(s) != 200:
            raise Failure("idle: a request before idling was not answered 200")
        idle_since[s.fileno()] = time.monotonic()
        sockets.append(s)
    opened = time.monotonic() - start
    time.sleep(0.3)
    held = server.fds() - fds_before
    rss_after = server.rss_kib()
    per_connection = (rss_after - rss_before) / count
    run = wrk(server.port, 3, os.path.join(work, "wrk.log"))
    held_during_wrk = server.fds() - fds_before
    # Every socket must now see EOF (the server's silent idle close), none earlier than the timeout.
    selector = selectors.DefaultSelector()
    for s in sockets:
        s.setblocking(False)
        selector.register(s, selectors.EVENT_READ)
    ages, unexpected = [], 0
    deadline = time.monotonic() + idle_s + LATE_SLACK_S + 10
    while len(ages) + unexpected < count and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.5):
            s = key.fileobj
            now = time.monotonic()
            try:
                data = s.recv(4096)
            except ConnectionResetError:
                data = b""
            if data:
                unexpected += 1
            else:
                ages.append(now - idle_since[s.fileno()])
            selector.unregister(s)
            s.close()
    for key in list(selector.get_map().values()):
        key.fileobj.close()
    ages.sort()
    label = f"idle keep-alive x{count}"
    ok = report.check(server.alive(), f"{label}: the server died")
    ok &= report.check(held >= count, f"{label}: the server held {held} of {count}")
    ok &= report.check(unexpected == 0, f"{label}: {unexpected} idle connections received bytes")
    ok &= report.check(len(ages) == count, f"{label}: {count - len(ages) - unexpected} never closed")
    if ages:
        ok &= report.check(ages[0] >= idle_s - 0.1, f"{label}: closed after {ages[0]:.2f} s, before the {idle_s:g} s idle timeout")
        ok &= report.check(ages[-1] <= idle_s + LATE_SLACK_S, f"{label}: closed only after {ages[-1]:.2f} s (idle timeout {idle_s:g} s)")
    client_ok, client_figures = normal_client_ok(report, label, run, baseline)
    ok &= client_ok
    closes = (f"closed after {ages[0]:.2f}/{ages[len(ages) // 2]:.2f}/{ages[-1]:.2f} s min/median/max (timeout {idle_s:g} s)"
              if ages else "none closed")
    report.row(f"idle keep-alive connections, {count:,}", 1, "yes" if ok else "NO",
               f"opened in {opened:.1f} s, held {held_during_wrk:,}; RSS {rss_before / 1024:.1f} -> {rss_after / 1024:.1f} MiB "
               f"= {per_connection:.2f} KiB per connection; {closes}; {client_figures}")


def fd_exhaustion(report, binary, work, quick_seconds):
    """A server with 256 descriptors and 400 clients; see the module docstring (d)."""
    label = "fd exhaustion"
    server = Server(binary, work, "fd-exhaustion", nofile=256)
    try:
        fd_exhaustion_checks(report, server, quick_seconds, label)
    finally:
        server.stop()


def fd_exhaustion_checks(report, server, quick_seconds, label):
    base = server.fds()
    sockets = []
    try:
        for _ in range(400):
            sockets.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
        time.sleep(1)
        fds_full = server.fds()
        # A connection the server accepted is still served while it cannot accept more.
        sockets[0].settimeout(5)
        sockets[0].sendall(REQUEST)
        try:
            served = read_response(sockets[0]) == 200
        except (OSError, Failure):
            served = False
        cpu_start, wall_start = server.cpu_seconds(), time.monotonic()
        time.sleep(quick_seconds)
        cpu = server.cpu_seconds() - cpu_start
        share = cpu / (time.monotonic() - wall_start)
        alive_during = server.alive()
    finally:
        for s in sockets:
            s.close()
    closed_at = time.monotonic()
    recovered = None
    while time.monotonic() - closed_at < 5:
        status, _ = get(server.port, PATH, timeout=5)
        if status == 200:
            recovered = time.monotonic() - closed_at
            break
        time.sleep(0.01)
    time.sleep(1)
    fds_after = server.fds() if server.alive() else None
    exit_status = server.stop()
    ok = report.check(alive_during, f"{label}: the server died")
    ok &= report.check(fds_full >= 250, f"{label}: the server reached only {fds_full} descriptors (limit 256)")
    ok &= report.check(served, f"{label}: an accepted connection was not served during the exhaustion")
    ok &= report.check(share < 0.05, f"{label}: server CPU {share * 100:.1f} % of a core while exhausted (busy accept loop?)")
    ok &= report.check(recovered is not None and recovered <= 1.0,
                       f"{label}: service back after {recovered if recovered is not None else '>5'} s, not within 1 s")
    ok &= report.check(exit_status == 0, f"{label}: SIGTERM exit status {exit_status}")
    back = f"service back {recovered * 1000:.0f} ms after the clients closed" if recovered is not None else "service not back in 5 s"
    report.row("fd exhaustion (prlimit --nofile=256, 400 connections)", 1, "yes" if ok else "NO",
               f"descriptors {base} -> {fds_full} -> {fds_after}; accepted connection served: {'yes' if served else 'no'}; "
               f"server CPU {cpu:.2f} s in {quick_seconds} s ({share * 100:.1f} % of a core); {back}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.path.join(ROOT, ".build/debug/maserver"))
    parser.add_argument("--long", action="store_true", help="10,000 idle connections instead of 1,000")
    parser.add_argument("--connections", type=int, default=1000, help="slow connections per slowhttptest mode")
    parser.add_argument("--summary", help="append the table rows to this file")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    for tool in ("wrk", "slowhttptest", "prlimit"):
        if not shutil.which(tool):
            sys.exit(f"slow_clients: {tool} is not installed (scripts/install-deps --battery installs it)")
    idle_count = 10000 if args.long else 1000
    idle_s = 20 if args.long else 6
    # Each side of every connection is a descriptor: raise the soft limit (the server inherits it).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max(idle_count, args.connections) + 1000
    if hard != resource.RLIM_INFINITY and hard < wanted:
        sys.exit(f"slow_clients: the open-files hard limit is {hard}; {wanted} are needed")
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))

    work = tempfile.mkdtemp(prefix="slow-clients.")
    report = Report()
    started = time.monotonic()
    server = None
    try:
        http = {"header_timeout_ms": HEADER_MS, "request_timeout_ms": REQUEST_MS,
                "write_timeout_ms": WRITE_MS, "idle_timeout_ms": int(idle_s * 1000)}
        server = Server(args.server, work, "main", http=http)
        wrk(server.port, 1, os.path.join(work, "wrk.log"))  # warm-up
        baseline = wrk(server.port, 5, os.path.join(work, "wrk.log"))
        report.check(baseline["errors"] == 0, "baseline: wrk saw errors")
        report.row("baseline (wrk -t1 -c2 paced 1 ms, 5 s, GET /.well-known/jwks.json)", 1, "yes" if baseline["errors"] == 0 else "NO",
                   f"p50 {baseline['p50']:.2f} ms, p99 {baseline['p99']:.2f} ms, {baseline['requests']:,} requests, "
                   f"{baseline['errors']} errors; test timeouts header {HEADER_MS} ms, request {REQUEST_MS} ms, "
                   f"write {WRITE_MS} ms, idle {int(idle_s * 1000)} ms")
        # Idle first, on a server that has not yet had more than two connections: its RSS growth is
        # then the cost of the idle connections, not memory kept from earlier bursts.
        idle_connections(report, server, work, idle_count, idle_s, baseline)
        for mode in ("H", "B", "X"):
            slow_attack(report, server, work, mode, args.connections, idle_s)
        exit_status = server.stop()
        report.check(exit_status == 0, f"main server: SIGTERM exit status {exit_status}")
        server = None
        fd_exhaustion(report, args.server, work, 5)
    except Exception as failure:  # noqa: BLE001 — any error ends the run with its table and a failure
        report.failures.append(f"{type(failure).__name__}: {failure}")
        report.row("(aborted)", 1, "NO", f"{type(failure).__name__}: {failure}")
    finally:
        if server is not None:
            server.stop()
    elapsed = time.monotonic() - started
    passed = sum(1 for row in report.rows if "| yes |" in row)
    print(f"\nSlow and many clients — {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}, {elapsed:.0f} s, logs in {work}")
    print("| part | cases | passed | figures |")
    print("|---|---|---|---|")
    print("\n".join(report.rows))
    if args.summary:
        with open(args.summary, "a") as f:
            f.write("\n".join(report.rows) + "\n")
    for failure in report.failures:
        print(f"FAILED: {failure}")
    print(f"slow clients: {passed} passed, {len(report.rows) - passed} failed")
    if not args.keep and not report.failures:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":
    main()
