-- string-building loop: the same work as strbuild.py.
local function run(rounds)
    local total = 0
    for r = 0, rounds - 1 do
        local s = ""
        for i = 0, 49 do
            s = s .. tostring(i + r)
        end
        local parts = {}
        for i = 1, #s, 7 do
            parts[#parts + 1] = string.sub(s, i, i + 6)
        end
        total = total + #table.concat(parts, "-")
    end
    return total
end
print(run(20000))
