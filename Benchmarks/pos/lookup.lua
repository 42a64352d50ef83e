-- GET /api/v1/pos/customers?phone=+90532<n> for a random seeded customer n (CUSTOMERS of them),
-- with the till's key (KEY) in the Authorization header.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
local customers = tonumber(os.getenv("CUSTOMERS"))
math.randomseed(os.time())
request = function()
  return wrk.format("GET", string.format("/api/v1/pos/customers?phone=%%2B90532%07d", math.random(customers)))
end
