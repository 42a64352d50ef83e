-- GET /api/v1/customers?q=<first name> <surname>, typed without Turkish letters, a random pair per request.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local first = {"ahmet", "mehmet", "mustafa", "ali", "huseyin", "hasan", "ibrahim", "emre", "murat", "omer",
               "ayse", "fatma", "emine", "hatice", "zeynep", "elif", "serife", "ozlem", "gul", "cigdem"}
local last = {"yilmaz", "kaya", "demir", "sahin", "celik", "yildiz", "yildirim", "ozturk", "aydin", "ozdemir",
              "arslan", "dogan", "kilic", "aslan", "cetin", "kara", "koc", "kurt", "ozkan", "simsek"}
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/customers?q=" .. first[math.random(#first)] .. "%20" .. last[math.random(#last)])
end
