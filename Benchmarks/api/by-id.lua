-- GET /api/v1/customers/{id}, a random one of the seeded ids (IDS names the file) per request.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/customers/" .. ids[math.random(#ids)])
end
