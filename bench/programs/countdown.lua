-- countdown 10M: the same loop as countdown.py.
local function count(n)
    while n > 0 do
        n = n - 1
    end
    return n
end
local N = 10000000
print(count(N) .. " " .. N)
