# Graphs as dicts of lists: BFS, DFS, topological sort, shortest paths.
graph = {
    "a": ["b", "c"], "b": ["d"], "c": ["d", "e"], "d": ["f"], "e": ["f"], "f": [], "g": ["a"],
}
def bfs(start):
    seen, order, queue = {start}, [], [start]
    while queue:
        node = queue.pop(0)
        order.append(node)
        for nxt in graph[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return order
def dfs(node, seen=None):
    if seen is None:
        seen = []
    seen.append(node)
    for nxt in graph[node]:
        if nxt not in seen:
            dfs(nxt, seen)
    return seen
print(bfs("a"), dfs("a"), bfs("g"))
def topo():
    indeg = {n: 0 for n in graph}
    for n in graph:
        for m in graph[n]:
            indeg[m] += 1
    ready = sorted(n for n in graph if indeg[n] == 0)
    out = []
    while ready:
        n = ready.pop(0)
        out.append(n)
        for m in graph[n]:
            indeg[m] -= 1
            if indeg[m] == 0:
                ready.append(m)
                ready.sort()
    return out
print(topo())
weighted = {"s": {"a": 7, "b": 2}, "a": {"t": 1}, "b": {"a": 3, "t": 9}, "t": {}}
def dijkstra(src):
    dist = {src: 0}
    done = set()
    while len(done) < len(dist):
        u = min((d, n) for n, d in dist.items() if n not in done)[1]
        done.add(u)
        for v, w in weighted[u].items():
            if v not in dist or dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
    return dict(sorted(dist.items()))
print(dijkstra("s"))
grid = ["..#....", ".##.##.", "....#..", "#.#...#", "...#..."]
def grid_bfs():
    R, C = len(grid), len(grid[0])
    dist = {(0, 0): 0}
    q = [(0, 0)]
    while q:
        r, c = q.pop(0)
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nr, nc = r + dr, c + dc
            if 0 <= nr < R and 0 <= nc < C and grid[nr][nc] == "." and (nr, nc) not in dist:
                dist[(nr, nc)] = dist[(r, c)] + 1
                q.append((nr, nc))
    return dist.get((R - 1, C - 1), -1), len(dist)
print(grid_bfs())
