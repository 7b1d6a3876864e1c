-- wrk script for ./compare. With WRK_ECHO_BODY set to a file, every request is
-- `POST /echo` carrying that file as JSON; otherwise wrk's own GET of the URL is sent.
-- Either way `done` prints one machine-readable line that ./compare parses:
--   RESULT <requests/s> <p50 us> <p99 us> <requests> <socket errors> <non-2xx/3xx>
local body_file = os.getenv("WRK_ECHO_BODY")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %d %d %d %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99),
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status))
end
