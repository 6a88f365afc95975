-- Replays a request plan written by bench/run.py: one request per line,
--   METHOD <tab> PATH <tab> COOKIE <tab> BODY
-- Usage: wrk ... -s bench/wrk.lua <url> -- <plan file> [once]
-- With "once", each line is sent at most once (a final submit needs a fresh
-- questionnaire session each time) and the thread stops when the plan runs out.
local requests = {}
local index = 0
local once = false

function init(args)
  once = args[2] == "once"
  for line in io.lines(args[1]) do
    local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    if cookie ~= "" then headers["Cookie"] = cookie end
    if body ~= "" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
    else
      body = nil
    end
    table.insert(requests, wrk.format(method, path, headers, body))
  end
end

function request()
  index = index + 1
  if index > #requests then
    if once then
      wrk.thread:stop()
    end
    index = 1
  end
  return requests[index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, ' ..
    '"latency_p50_us": %d, "latency_p99_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
