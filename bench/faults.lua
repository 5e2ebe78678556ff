-- wrk script for bench/faults.py: rotate over a mix of public pages, count responses by status and
-- time errors (status >= 400) in 100 ms buckets, so the harness can tell errors inside the
-- PostgreSQL outage from errors outside it.
--
-- The page list comes from the FAULTS_PATHS environment variable (paths separated by spaces); the
-- token "{random}" in a path is replaced by a fresh random word on every request, so that request
-- misses the page cache and needs the database.

local ok, ffi = pcall(require, "ffi")
local now
if ok then
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_usec; } faults_timeval;
    int gettimeofday(faults_timeval *tv, void *tz);
  ]]
  local tv = ffi.new("faults_timeval")
  now = function()
    ffi.C.gettimeofday(tv, nil)
    return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6
  end
else
  now = os.time
end

local threads = {}
local counter = 1

function setup(thread)
  thread:set("thread_id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for path in string.gmatch(os.getenv("FAULTS_PATHS") or "/", "%S+") do
    table.insert(paths, path)
  end
  index = thread_id - 1
  math.randomseed(os.time() * 1000 + thread_id)
  statuses = {}     -- status code (as a string) -> count
  cache = {}        -- X-Cache header (hit, miss, none) -> count
  error_buckets = {} -- tostring(floor(time * 10)) -> count of responses with status >= 400
end

function request()
  index = index % #paths + 1
  local path = string.gsub(paths[index], "{random}", function()
    return string.format("zq%08d", math.random(0, 99999999))
  end)
  return wrk.format("GET", path)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  local x_cache = headers["X-Cache"] or "none"
  cache[x_cache] = (cache[x_cache] or 0) + 1
  if status >= 400 then
    local bucket = tostring(math.floor(now() * 10))
    error_buckets[bucket] = (error_buckets[bucket] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_statuses, total_buckets, total_cache = {}, {}, {}
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("statuses") or {}) do
      total_statuses[key] = (total_statuses[key] or 0) + count
    end
    for key, count in pairs(thread:get("cache") or {}) do
      total_cache[key] = (total_cache[key] or 0) + count
    end
    for key, count in pairs(thread:get("error_buckets") or {}) do
      total_buckets[key] = (total_buckets[key] or 0) + count
    end
  end
  for key, count in pairs(total_statuses) do
    io.write(string.format("FAULTS status %s %d\n", key, count))
  end
  for key, count in pairs(total_cache) do
    io.write(string.format("FAULTS cache %s %d\n", key, count))
  end
  for key, count in pairs(total_buckets) do
    io.write(string.format("FAULTS error_bucket %s %d\n", key, count))
  end
  for _, p in ipairs({ 50, 90, 99 }) do
    io.write(string.format("FAULTS latency_p%d_us %d\n", p, latency:percentile(p)))
  end
end
