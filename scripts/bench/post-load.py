#!/usr/bin/env python3
"""Load generator for scripts/bench/intake.sh's POST figure: sends each JSON body
of CORPUS once (one line each) as `POST PATH` to 127.0.0.1:PORT over CONNECTIONS
keep-alive HTTP/1.1 connections, as fast as the server answers, and prints one
JSON object: statuses, wall seconds (first send to last answer), accepted/s,
latency percentiles in ms, and the participant names answered with 201
(for counting rows in SQLite afterwards).
Usage: post-load.py PORT PATH CORPUS CONNECTIONS"""
import asyncio, json, sys, time

port, path, corpus, conns = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
bodies = [line.rstrip("\n").encode() for line in open(corpus) if line.strip()]
requests = [
    b"POST " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: " + str(len(b)).encode() + b"\r\n\r\n" + b for b in bodies
]
latencies, statuses, accepted = [], {}, []
next_index = 0


async def worker():
    global next_index
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while next_index < len(requests):
        i = next_index
        next_index += 1
        start = time.perf_counter()
        writer.write(requests[i])
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ")[1])
        length = 0
        for line in lines[1:]:
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        body = await reader.readexactly(length) if length else b""
        latencies.append(time.perf_counter() - start)
        statuses[status] = statuses.get(status, 0) + 1
        if status == 201:
            try:
                accepted.append(json.loads(body).get("participant"))
            except ValueError:
                accepted.append(None)
    writer.close()


async def main():
    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(conns)))
    return time.perf_counter() - began


wall = asyncio.run(main())
ordered = sorted(latencies)
pct = lambda p: ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000
print(json.dumps({
    "requests": len(requests), "statuses": {str(k): v for k, v in sorted(statuses.items())}, "wall_s": wall,
    "accepted_per_s": statuses.get(201, 0) / wall, "p50_ms": pct(50), "p99_ms": pct(99), "max_ms": ordered[-1] * 1000,
    "accepted": accepted,
}))
