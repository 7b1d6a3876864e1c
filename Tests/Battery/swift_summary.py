#!/usr/bin/env python3
"""Summary rows for scripts/test from a `swift test` log (Swift Testing's console output).

Usage: swift_summary.py LOG >> summary.md. Prints markdown rows `| part | cases | passed | figures |`:
one for the whole run (tests, parameterized cases, failures) and one per `[security] <area>:` line
the MA security suites print (Docs/Testing.md, "Mission Authority battery").
swift_summary.py --security LOG STATUS: only the `[security]` rows of another log (scripts/faults),
with STATUS (that step's exit status) as their verdict.
"""
import re
import sys


def security_rows(text, ok):
    for area, figures in re.findall(r"^\[security\] ([\w.]+): (.*)$", text, re.M):
        count = re.search(r"\b(?:cases|samples_each|payloads|clients|files|scenarios)=(\d+)", figures)
        short = figures if len(figures) <= 170 else figures[:167] + "…"
        print(f"| security {area} | {count.group(1) if count else '-'} | {'yes' if ok else 'see log'} | "
              f"{short.replace('|', '/')} |")


def main():
    if sys.argv[1] == "--security":
        security_rows(open(sys.argv[2], encoding="utf-8", errors="replace").read(), sys.argv[3] == "0")
        return
    text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
    run = re.search(r"^[✔✘] Test run with (\d+) tests? in (\d+) suites? (passed|failed) after ([\d.]+) seconds"
                    r"(?: with (\d+) issues?)?", text, re.M)
    failed_tests = len(re.findall(r"^✘ Test (?!run with ).* failed after", text, re.M))
    cases = sum(int(n) for n in re.findall(r"^✔ Test .* with (\d+) test cases passed", text, re.M))
    if run:
        tests, suites, verdict, seconds, issues = run.groups()
        passed = int(tests) - failed_tests
        print(f"| swift test ({suites} suites, {float(seconds):.0f} s) | {tests} tests | {passed} | "
              f"{cases:,} parameterized cases passed; {failed_tests} tests failed, {issues or 0} issues |")
    else:
        print("| swift test | - | NO | no `Test run with` line: the run did not finish |")
    security_suites = re.findall(r"^([✔✘]) Suite \"Security[^\"]*\" (?:passed|failed)", text, re.M)
    security_ok = bool(security_suites) and all(mark == "✔" for mark in security_suites)
    security_rows(text, security_ok)


if __name__ == "__main__":
    main()
