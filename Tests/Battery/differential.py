#!/usr/bin/env python3
"""Differential check: HTTPKit's request parser against llhttp (strict, every lenient flag off).

Corpus: the battery catalog (exported by the Swift suite BatteryParserVerdictTests) plus
deterministic mutations of it. Rule: no message that llhttp refuses (or has not finished framing)
is executed by HTTPKit, and messages both accept are framed alike (method, content length), except
for the allowlist below, which Docs/Testing.md explains.

Usage: differential.py [--mutations N] [--seed S] [--keep DIR] [--extra DIR]...; prints a summary, exits 1 on a
violation. Needs llhttp in .venv-battery (scripts/battery installs it).
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

import llhttp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The allowlist: (id, normalization, reason). A violation is allowlisted when rewriting the input
# with that normalization (alone, or all of them together) makes llhttp agree with HTTPKit's
# verdict on the original bytes. Each normalization removes exactly one documented difference.
LLHTTP_SAFE_METHOD = b"PUT"


def normalize_methods(data, requests):
    """Replace the method of each request HTTPKit parsed (at the offset where it began) by PUT."""
    starts = [0] + [r["end"] for r in requests[:-1]]
    for start, request in reversed(list(zip(starts, requests))):
        while data[start:start + 2] == b"\r\n":
            start += 2
        token = request["method"].encode("latin-1")
        if data[start:start + len(token) + 1] == token + b" ":
            data = data[:start] + LLHTTP_SAFE_METHOD + data[start + len(token):]
    return data


def normalize_framing_ows(data, _):
    """Drop the OWS (SP/HTAB) around Content-Length and Transfer-Encoding values."""
    return re.sub(rb"(?im)^(content-length|transfer-encoding):[ \t]*([^\r\n]*?)[ \t]*\r\n", rb"\1: \2\r\n", data)


def normalize_trailer_framing(data, _):
    """Remove Content-Length and Transfer-Encoding lines from trailer sections."""
    def strip(match):
        kept = [line for line in match.group(2).split(b"\r\n")
                if not re.match(rb"(?i)(content-length|transfer-encoding)\s*:", line)]
        return match.group(1) + b"\r\n".join(kept)
    return re.sub(rb"(\r\n0+(?:;[^\r\n]*)?\r\n)((?:[^\r\n]+\r\n)+)(?=\r\n)", strip, data)


def normalize_bws_before_extension(data, _):
    """Remove the BWS around ';' and '=' in chunk-size lines."""
    def strip(match):
        return re.sub(rb"[ \t]*([;=])[ \t]*", rb"\1", match.group(0))
    return re.sub(rb"(?m)^[0-9A-Fa-f]+[ \t]*;[^\r\n]*", strip, data)


ALLOWLIST = [
    ("extension-method", normalize_methods,
     "RFC 9110 §9.1: method = token. HTTPKit accepts any token and frames the message the same way "
     "whatever the method; an unknown method reaches the router, which answers 405/404. llhttp only "
     "knows a fixed list of methods."),
    ("ows-around-framing-values", normalize_framing_ows,
     "RFC 9110 §5.5 / RFC 9112 §5: OWS (SP or HTAB) around a field value is not part of it; "
     "`Content-Length:\\t5\\t` is 5. llhttp refuses HTAB in Content-Length and trailing OWS after "
     "`chunked`."),
    ("framing-field-in-trailer", normalize_trailer_framing,
     "RFC 9110 §6.5.1-6.5.2: trailers are never merged into the header section. HTTPKit exposes them "
     "apart (HTTPRequest.trailers) and a Content-Length or Transfer-Encoding there frames nothing; "
     "llhttp applies header framing rules to trailer lines."),
    ("bws-before-chunk-ext", normalize_bws_before_extension,
     "RFC 9112 §7.1.1: chunk-ext = *( BWS \";\" ... ): whitespace before ';' is valid; llhttp refuses "
     "it unless lenient_spaces_after_chunk_size."),
]

INTERESTING = [b" ", b"\t", b"\r", b"\n", b"\r\n", b"\0", b",", b";", b":", b"\x0b", b"\x7f", b"\x80", b"-", b"+", b"0x",
               b"chunked", b"Transfer-Encoding: chunked\r\n", b"Content-Length: 0\r\n", b"Content-Length: 5\r\n",
               b"0\r\n\r\n", b"HTTP/1.0", b" HTTP/1.1", b"Host: x\r\n", b"\r\n\r\n", b"5\r\nhello\r\n"]


def mutate(data, rng):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randint(0, len(data))
        op = rng.randint(0, 6)
        if op == 0 and data:
            data[min(pos, len(data) - 1)] = rng.choice(INTERESTING)[0]
        elif op == 1:
            data[pos:pos] = rng.choice(INTERESTING)
        elif op == 2 and data:
            del data[pos:pos + rng.randint(1, 4)]
        elif op == 3:
            # Duplicate a whole line.
            lines = bytes(data).split(b"\r\n")
            if len(lines) > 2:
                i = rng.randint(1, len(lines) - 2)
                lines.insert(i, lines[i])
                data = bytearray(b"\r\n".join(lines))
        elif op == 4:
            # Flip the case of a letter (names, codings, versions).
            letters = [i for i, b in enumerate(data) if 65 <= b <= 90 or 97 <= b <= 122]
            if letters:
                data[rng.choice(letters)] ^= 0x20
        elif op == 5:
            # Swap CRLF for LF or CR at one line end.
            ends = [m.start() for m in re.finditer(rb"\r\n", bytes(data))]
            if ends:
                i = rng.choice(ends)
                data[i:i + 2] = rng.choice([b"\n", b"\r", b"\r\r\n", b"\n\r"])
        else:
            data[pos:pos] = str(rng.choice([0, 1, 5, 16, 65535, 2**31, 2**64])).encode()
    return bytes(data)


class Strict(llhttp.Request):
    def __init__(self):
        super().__init__()
        self.messages = []
        self.body = 0

    def on_body(self, chunk):
        self.body += len(chunk)

    def on_message_complete(self):
        self.messages.append({"method": self.method, "body": self.body, "keepAlive": bool(self.should_keep_alive)})
        self.body = 0


def llhttp_verdict(data):
    parser = Strict()
    error = None
    try:
        parser.execute(data)
    except llhttp.Error as e:
        error = type(e).__name__ + ": " + str(e)
    return parser.messages, error


def compare(verdict, data):
    """None when HTTPKit executes nothing llhttp refuses and frames shared messages alike."""
    l_messages, l_error = llhttp_verdict(data)
    h_exec = executed(verdict["requests"])
    l_exec = executed(l_messages)
    l_refused = l_error is not None and len(l_exec) == len(l_messages)
    for i, (h, m) in enumerate(zip(h_exec, l_exec)):
        if h["body"] != m["body"]:
            return f"message {i} framed differently: HTTPKit {h} llhttp {m}"
    if len(h_exec) > len(l_exec):
        why = l_error if l_refused else "llhttp still waiting for bytes"
        return f"HTTPKit executed message {len(l_exec)} that llhttp did not ({why})"
    return None


def executed(messages):
    """The messages a server runs: up to and including the first that closes the connection."""
    out = []
    for m in messages:
        out.append(m)
        if not m["keepAlive"]:
            break
    return out


SKIP_BUILD = False


def swift_test(env_name, directory):
    env = dict(os.environ, **{env_name: directory})
    command = ["swift", "test", "--filter", "BatteryParserVerdictTests"] + (["--skip-build"] if SKIP_BUILD else [])
    result = subprocess.run(command, cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.stdout.write(result.stdout[-4000:])
        sys.exit("swift test failed")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mutations", type=int, default=25, help="mutants per battery case")
    parser.add_argument("--seed", type=int, default=9112)
    parser.add_argument("--keep", help="keep the corpus and verdicts here")
    parser.add_argument("--extra", action="append", default=[],
                        help="also judge every file of this directory (e.g. a libFuzzer corpus)")
    parser.add_argument("--skip-build", action="store_true", help="the test target is already built")
    args = parser.parse_args()
    global SKIP_BUILD
    SKIP_BUILD = args.skip_build

    work = args.keep or tempfile.mkdtemp(prefix="battery-diff-")
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(os.path.join(work, "mutations"))
    swift_test("BATTERY_EXPORT_DIR", os.path.join(work, "battery"))
    battery = sorted(f for f in os.listdir(os.path.join(work, "battery")) if f.endswith(".http"))
    rng = random.Random(args.seed)
    for name in battery:
        with open(os.path.join(work, "battery", name), "rb") as f:
            data = f.read()
        for k in range(args.mutations):
            with open(os.path.join(work, "mutations", f"{name[:-5]}-m{k:03d}.http"), "wb") as f:
                f.write(mutate(data, rng))
    for index, directory in enumerate(args.extra):
        target = os.path.join(work, f"extra{index}")
        os.makedirs(target)
        for name in sorted(os.listdir(directory)):
            source = os.path.join(directory, name)
            if os.path.isfile(source):
                shutil.copyfile(source, os.path.join(target, name + ".http"))
    swift_test("BATTERY_JUDGE_DIR", work)
    with open(os.path.join(work, "verdicts.json")) as f:
        verdicts = json.load(f)

    counts = {"inputs": 0, "llhttp_rejects": 0, "httpkit_rejects": 0, "both_reject": 0,
              "httpkit_stricter": 0, "violations": 0, "allowlisted": 0}
    allow_hits = {entry[0]: 0 for entry in ALLOWLIST}
    violations = []
    for relative, verdict in sorted(verdicts.items()):
        with open(os.path.join(work, relative), "rb") as f:
            data = f.read()
        counts["inputs"] += 1
        l_messages, l_error = llhttp_verdict(data)
        l_exec = executed(l_messages)
        l_refused = l_error is not None and len(l_exec) == len(l_messages)
        counts["llhttp_rejects"] += l_refused
        counts["httpkit_rejects"] += verdict["error"] is not None
        counts["both_reject"] += l_refused and verdict["error"] is not None
        problem = compare(verdict, data)
        if problem is None:
            if len(executed(verdict["requests"])) < len(l_exec):
                counts["httpkit_stricter"] += 1
            continue
        methods = verdict["requests"]
        allowed = [entry_id for entry_id, normalize, _ in ALLOWLIST if compare(verdict, normalize(data, methods)) is None]
        if not allowed:
            combined = data
            for _, normalize, _ in ALLOWLIST:
                combined = normalize(combined, methods)
            if compare(verdict, combined) is None:
                allowed = [entry_id for entry_id, normalize, _ in ALLOWLIST if normalize(data, methods) != data]
        if allowed:
            counts["allowlisted"] += 1
            for entry_id in allowed:
                allow_hits[entry_id] += 1
        else:
            counts["violations"] += 1
            violations.append((relative, problem, data))

    print("llhttp differential (llhttp %s, strict)" % getattr(llhttp, "version", "?"))
    print("| figure | count |\n|---|---|")
    for key, value in counts.items():
        print(f"| {key} | {value} |")
    for key, value in allow_hits.items():
        print(f"| allowlist {key} | {value} |")
    for relative, problem, data in violations[:int(os.environ.get("DIFF_SHOW", "20"))]:
        print(f"VIOLATION {relative}: {problem}\n    {data[:300]!r}")
    if not args.keep:
        shutil.rmtree(work)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
