-- list/dict-heavy loop: the same work as listdict.py with Lua tables.
local function run(rounds)
    local counts = {}
    local ncounts = 0
    local total = 0
    for r = 0, rounds - 1 do
        local xs = {}
        for i = 0, 99 do
            xs[#xs + 1] = (i * 7 + r) % 50
        end
        for _, x in ipairs(xs) do
            local c = counts[x]
            if c == nil then
                ncounts = ncounts + 1
                c = 0
            end
            counts[x] = c + 1
        end
        total = total + xs[(r % 100) + 1] + ncounts
    end
    return total, ncounts, counts[7]
end
local total, n, c7 = run(20000)
print(string.format("(%d, %d, %d)", total, n, c7))
