#!/usr/bin/env python3
"""Holds many idle keep-alive HTTP/1.1 connections open against a loopback server.

Used by ./compare to measure a server's memory with 10,000 established connections. Every
connection sends one `GET /hello` and reads the full answer, so the server has really set up an
HTTP connection (not just a socket in its accept queue), then stays silent.

Protocol on stdin/stdout (driven by ./compare as a coprocess):
  prints `READY <open> <failed> <seconds>` once every connection has its answer;
  on a `CHECK` line, prints `OPEN <n>`: how many connections the server has not closed;
  exits on end of input, or after --hold seconds at most (so it can never linger).
"""
import argparse
import resource
import select
import selectors
import signal
import socket
import sys
import time

REQUEST = b"GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: idle-clients\r\n\r\n"
BODY = b"Hello, world!"


def raise_fd_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        sys.exit(f"idle_clients: RLIMIT_NOFILE is {soft}, need {needed}")


def open_connections(port, count):
    """Connects and sends one request per socket; returns the sockets and the failures."""
    sockets = []
    failed = 0
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(10)
        try:
            s.connect(("127.0.0.1", port))
            s.sendall(REQUEST)
        except OSError:
            failed += 1
            s.close()
            continue
        s.setblocking(False)
        sockets.append(s)
    return sockets, failed


def read_answers(sockets, timeout):
    """Reads each socket until its 200 answer ends with the body; returns the good sockets."""
    selector = selectors.DefaultSelector()
    buffers = {}
    for s in sockets:
        selector.register(s, selectors.EVENT_READ)
        buffers[s] = b""
    good = []
    deadline = time.monotonic() + timeout
    while buffers and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=1):
            s = key.fileobj
            try:
                chunk = s.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            if not chunk:
                selector.unregister(s)
                del buffers[s]
                s.close()
                continue
            buffers[s] += chunk
            data = buffers[s]
            if data.endswith(BODY):
                selector.unregister(s)
                del buffers[s]
                if data.startswith(b"HTTP/1.1 200"):
                    good.append(s)
                else:
                    s.close()
    for s in buffers:
        s.close()
    selector.close()
    return good


def count_open(sockets):
    """A socket the server closed is readable with EOF (or an error); silent ones are open."""
    poller = select.poll()
    by_fd = {}
    for s in sockets:
        poller.register(s, select.POLLIN)
        by_fd[s.fileno()] = s
    closed = 0
    for fd, _ in poller.poll(0):
        try:
            if by_fd[fd].recv(1, socket.MSG_PEEK) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    return len(sockets) - closed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", type=int)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--hold", type=float, default=300, help="seconds before giving up")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, lambda *_: sys.exit(3))
    signal.alarm(int(args.hold))
    raise_fd_limit(args.count + 64)

    started = time.monotonic()
    sockets, failed = open_connections(args.port, args.count)
    good = read_answers(sockets, timeout=60)
    failed += len(sockets) - len(good)
    print(f"READY {len(good)} {failed} {time.monotonic() - started:.2f}", flush=True)

    for line in sys.stdin:
        if line.strip() == "CHECK":
            print(f"OPEN {count_open(good)}", flush=True)
    for s in good:
        s.close()


if __name__ == "__main__":
    main()
