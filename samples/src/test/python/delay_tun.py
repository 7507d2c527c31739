#!/usr/bin/python3
"""Delay and jitter for the NAT lab: holds every packet routed into a TUN device for a random time,
then writes it back, so the kernel routes it on as if it had just arrived.

    delay_tun.py NAME DELAY_MS JITTER_MS [SEED]

creates the TUN device NAME (no packet information header), prints "ready" once it exists, and from
then on holds each packet read from it for DELAY_MS plus a uniform random amount in
[-JITTER_MS, +JITTER_MS] (at least 0): packets whose times cross come out reordered, as on a path with
that jitter. On SIGTERM it exits; the device goes with it. Policy routing in the namespace decides
which packets enter the device (see the lab's DelayLine).
"""
import fcntl
import heapq
import os
import random
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def main():
    name, delay_ms, jitter_ms = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else None)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    print("ready", flush=True)
    held = []  # (due, sequence, packet)
    sequence = 0
    forwarded = 0
    while True:
        timeout = max(0.0, held[0][0] - time.monotonic()) if held else None
        readable, _, _ = select.select([fd], [], [], timeout)
        if readable:
            packet = os.read(fd, 65535)
            hold = max(0.0, delay_ms + rng.uniform(-jitter_ms, jitter_ms)) / 1000.0
            heapq.heappush(held, (time.monotonic() + hold, sequence, packet))
            sequence += 1
        now = time.monotonic()
        while held and held[0][0] <= now:
            os.write(fd, heapq.heappop(held)[2])
            forwarded += 1


if __name__ == "__main__":
    main()
