# Shortcuts for the entry points documented in README.md; each target runs one script, nothing more.
.PHONY: run test battery faults soak bench

run:
	scripts/serve

test:
	scripts/test

battery:
	scripts/battery

faults:
	scripts/faults

# The long battery: long fuzzing, sanitizers, 50 kill -9 cycles (scripts/long-battery).
soak:
	scripts/long-battery

# The MA benchmark set; writes its table into Docs/Performance.md (MA_BENCH_SOAK=600 adds the memory soak).
bench:
	Benchmarks/run-ma-bench
