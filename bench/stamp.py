#!/usr/bin/env python3
"""Reads what a tmux pane writes (from `pipe-pane -o`) and keeps it, with the time each chunk
arrived: OUT gets the bytes, OUT.chunks one line per chunk, "<monotonic ns> <bytes>".
OUT.ready appears once it is reading, so the bench starts the tool only then."""
import os
import sys
import time

out = sys.argv[1]
with open(out, "wb") as data, open(out + ".chunks", "w") as log:
    open(out + ".ready", "w").close()
    while True:
        chunk = os.read(0, 65536)
        now = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        if not chunk:
            break
        data.write(chunk)
        data.flush()
        log.write(f"{now} {len(chunk)}\n")
        log.flush()
