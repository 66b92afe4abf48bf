-- wrk script for bench/run.sh. Configured through the environment (wrk's Lua states
-- cannot share anything else):
--   BENCH_TOKEN    bearer token sent with every request (unset: no Authorization)
--   BENCH_MODE     static        the URL's path, as is
--                  get_ids       GET printf(BENCH_PATH, random id from BENCH_IDS)
--                  post_meeting  POST /api/v1/meetings in network BENCH_NETWORK
--                  put_minutes   PUT  /api/v1/meetings/{id}/minutes (draft), ids from BENCH_IDS
--                  patch_action  PATCH /api/v1/action-items/{id}, status open/done, ids from BENCH_IDS
--   BENCH_IDS      a file with one id a line
--   BENCH_PATH     path template for get_ids, e.g. /api/v1/meetings/%s
--   BENCH_PERSON   the benchmark user's person id (minutes authors, action item owner)
--   BENCH_NETWORK  the network of new meetings
--   BENCH_THREADS  wrk's -t, so writes can split the ids between threads
-- Writes go round-robin through a per-thread share of the ids, so no two requests in
-- flight ever change the same resource (that would measure lock waits and 409/412s,
-- not throughput). done() prints one line "BENCHJSON {...}" that run.sh parses.

local mode = os.getenv("BENCH_MODE") or "static"
local token = os.getenv("BENCH_TOKEN")
local threads = {}

local ids = {}
local share = {}
local counter = 0
non2xx = 0
first_error = ""

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local function load_ids(path)
  local list = {}
  for line in io.lines(path) do
    if line ~= "" then table.insert(list, line) end
  end
  return list
end

function init(args)
  if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
  wrk.headers["Accept"] = "application/json"
  if mode ~= "static" and mode ~= "post_meeting" then
    ids = load_ids(os.getenv("BENCH_IDS"))
    local n = tonumber(os.getenv("BENCH_THREADS") or "1")
    for i = tid + 1, #ids, n do table.insert(share, ids[i]) end
    if #share == 0 then share = ids end
  end
  if mode ~= "static" and mode ~= "get_ids" then
    wrk.headers["Content-Type"] = "application/json"
  end
  math.randomseed(4242 + tid)
end

local function next_id()
  counter = counter + 1
  return share[(counter - 1) % #share + 1], math.floor((counter - 1) / #share)
end

if mode == "get_ids" then
  local template = os.getenv("BENCH_PATH")
  function request()
    return wrk.format("GET", string.format(template, ids[math.random(#ids)]))
  end
elseif mode == "post_meeting" then
  local network = os.getenv("BENCH_NETWORK")
  function request()
    counter = counter + 1
    local day = string.format("2027-%02d-%02d", math.random(1, 12), math.random(1, 28))
    local body = string.format(
      '{"network_id":"%s","title":"Nätverksträff %d-%d","description":"Dagordning och underlag skickas ut i förväg.",' ..
      '"starts_at":"%sT09:00","ends_at":"%sT12:00","mode":"digital",' ..
      '"online_url":"https://teams.microsoft.com/l/meetup-join/bench"}',
      network, tid, counter, day, day)
    return wrk.format("POST", "/api/v1/meetings", nil, body)
  end
elseif mode == "put_minutes" then
  local person = os.getenv("BENCH_PERSON")
  function request()
    local id = next_id()
    local body = string.format(
      '{"recorded_by":["%s"],"approvers":["%s"],"sections":[' ..
      '{"heading":"Mötet inleds","notes":"Inledning och kort introduktion till mötet som genomförs via Teams.","decisions":[]},' ..
      '{"heading":"Information från GR","notes":"Arbete för gemensam uppföljning av ekonomiskt bistånd pågår.",' ..
      '"decisions":["GR sammanställer uppföljningen till nästa möte."],' ..
      '"action_items":[{"title":"Skicka ut dokumentet om att arbeta i kris","owner_person_id":"%s","due_on":"2027-01-15"}]}]}',
      person, person, person)
    return wrk.format("PUT", "/api/v1/meetings/" .. id .. "/minutes", nil, body)
  end
elseif mode == "patch_action" then
  function request()
    local id, round = next_id()
    local status = (round % 2 == 0) and "done" or "open"
    return wrk.format("PATCH", "/api/v1/action-items/" .. id, nil, '{"status":"' .. status .. '"}')
  end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_error == "" then
      first_error = tostring(status) .. " " .. string.sub(body or "", 1, 300)
    end
  end
end

local function json_string(s)
  s = string.gsub(s, '[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == "\\" then return "\\\\" end
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. s .. '"'
end

function done(summary, latency, requests)
  local bad, sample = 0, ""
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non2xx") or 0)
    local e = t:get("first_error") or ""
    if sample == "" and e ~= "" then sample = e end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"rps":%.2f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,' ..
    '"non2xx":%d,"socket_errors":%d,"timeouts":%d,"first_error":%s}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, bad, e.connect + e.read + e.write, e.timeout, json_string(sample)))
end
