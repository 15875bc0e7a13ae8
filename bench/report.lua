-- wrk script: requests the paths in the PATHS environment variable (space-separated,
-- chosen at random for each request) and prints one JSON line of results.
local paths = {}
for path in string.gmatch(os.getenv("PATHS") or "/", "%S+") do
  table.insert(paths, path)
end

function setup(thread)
  thread:set("id", math.random(1, 1000000))
end

function init(args)
  math.randomseed(id)
end

-- With MAX_REQUESTS set, each thread stops after that many responses.
local max_requests = tonumber(os.getenv("MAX_REQUESTS") or "")
if max_requests then
  local count = 0
  function response(status, headers, body)
    count = count + 1
    if count >= max_requests then wrk.thread:stop() end
  end
end

-- With RATE set (requests a second, over all connections), each connection waits a
-- random time between requests (arrivals as a Poisson process): an offered load below
-- what the server can do, rather than as much as it can.
local rate = tonumber(os.getenv("RATE") or "")
local connections = tonumber(os.getenv("CONNECTIONS") or "")
if rate then
  function delay()
    return -math.log(1 - math.random()) * connections * 1000 / rate
  end
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "errors": %d, "bytes": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.status + e.timeout, summary.bytes))
end
