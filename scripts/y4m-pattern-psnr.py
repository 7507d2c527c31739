#!/usr/bin/env python3
"""How close a received test pattern is to what was sent: reads a Y4M recording of the SDK's test
pattern (`simplecall peer --record DIR` writes DIR/video.y4m at 30 fps, repeating frames to keep time),
reads each frame's counter from its top band (as TestPattern.readCounter does), draws that frame again
(scripts/vp8-keyframe-cost.py's port of TestPattern.draw) and prints, per second of the recording, the
number of new frames and the median luma PSNR of them against the original.

Usage: python3 scripts/y4m-pattern-psnr.py DIR/video.y4m
Needs python3-numpy."""
import importlib.util
import os
import statistics
import sys

import numpy as np

spec = importlib.util.spec_from_file_location(
    "vp8cost", os.path.join(os.path.dirname(os.path.abspath(__file__)), "vp8-keyframe-cost.py"))
vp8cost = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vp8cost)


def read_counter(y):
    w = y.shape[1]
    block = max(2, w // 40)
    half = max(1, block // 4)
    bits = 0
    for i in range(40):
        cx = i * block + block // 2
        patch = y[block - half:block + half, cx - half:cx + half]
        bits = (bits << 1) | (1 if patch.mean() > 125 else 0)
    c = bits >> 8
    return c if (bits & 0xFF) == vp8cost.checksum(c) else -1


def frames(path):
    with open(path, "rb") as f:
        header = f.readline().split()
        w = int(next(t[1:] for t in header if t.startswith(b"W")))
        h = int(next(t[1:] for t in header if t.startswith(b"H")))
        size = w * h * 3 // 2
        while f.readline().startswith(b"FRAME"):
            data = f.read(size)
            if len(data) < size:
                return
            yield np.frombuffer(data, np.uint8, w * h).reshape(h, w)


def main(path):
    assert (vp8cost.W, vp8cost.H) == (640, 480)
    last = None
    per_second = {}
    for i, y in enumerate(frames(path)):
        n = read_counter(y)
        sec = per_second.setdefault(i // 30, [])
        if n < 0 or n == last:
            continue
        last = n
        ref = vp8cost.pattern(n)[0].astype(np.float64)
        mse = np.mean((y.astype(np.float64) - ref) ** 2)
        sec.append(99.0 if mse == 0 else 10 * np.log10(255 * 255 / mse))
    print("second  new_frames  median_luma_psnr_dB")
    for s in sorted(per_second):
        v = per_second[s]
        print(f"{s:6d}  {len(v):10d}  {statistics.median(v) if v else float('nan'):8.2f}")


if __name__ == "__main__":
    main(sys.argv[1])
