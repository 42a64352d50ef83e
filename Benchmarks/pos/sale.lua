-- POST /api/v1/pos/sales: a sale of 1 to 500 lira to a random seeded customer, each request with an
-- Idempotency-Key of its own (a per-run prefix and a counter), with the till's key (KEY).
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
wrk.headers["Content-Type"] = "application/json"
local customers = tonumber(os.getenv("CUSTOMERS"))
math.randomseed(os.time())
local prefix = string.format("bench-%d-%d", os.time(), math.random(1000000000))
local counter = 0
request = function()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = prefix .. "-" .. counter
  local body = string.format('{"customerId":"00000000-0000-4000-8000-%012X","amount":%d}', math.random(customers), math.random(100, 50000))
  return wrk.format(nil, "/api/v1/pos/sales", nil, body)
end
