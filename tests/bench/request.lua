-- wrk script for tests/bench/ec2.rs: one fixed request, read from the environment, and a
-- machine-readable summary line at the end.
--   BENCH_PATH     request path ("/" for EC2, "/bytes/N" for the fixed-body server)
--   BENCH_BODY     form body (Action=...&Version=2016-11-15&...)
--   BENCH_MAX_PER_THREAD  stop each wrk thread after this many responses (0: no cap)
-- and, for a request signed once (SigV4, header form) and sent as it is every time:
--   BENCH_AUTHORIZATION   the Authorization header (default: a fixed unsigned one)
--   BENCH_AMZ_DATE        an X-Amz-Date header
--   BENCH_HOST            the Host header (the signed one; default: wrk's host:port)
wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH") or "/"
wrk.body = os.getenv("BENCH_BODY") or ""
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
wrk.headers["Authorization"] = os.getenv("BENCH_AUTHORIZATION") or
  "AWS4-HMAC-SHA256 Credential=parlel/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0"
local amz_date = os.getenv("BENCH_AMZ_DATE") or ""
if amz_date ~= "" then
  wrk.headers["X-Amz-Date"] = amz_date
end
local host = os.getenv("BENCH_HOST") or ""
if host ~= "" then
  wrk.headers["Host"] = host
end

local cap = tonumber(os.getenv("BENCH_MAX_PER_THREAD") or "0") or 0
if cap > 0 then
  local seen = 0
  function response(status, headers, body)
    seen = seen + 1
    if seen >= cap then
      wrk.thread:stop()
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d bytes=%d status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d p50_us=%d p99_us=%d mean_us=%d max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
