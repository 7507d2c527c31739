#!/usr/bin/env python3
"""What sdk-core's 640x480@30 test pattern costs in VP8 before and after a keyframe forced mid-stream
(as a PLI forces one after an outage). Encodes the pattern (a numpy port of TestPattern.draw) with the
system's libvpx (Debian 12: libvpx7, 1.12) through ctypes, configured as libwebrtc M139's
LibvpxVp8Encoder configures one 30 fps stream (CBR, QP 2-56, cpu_used -6, static threshold 1, drop
threshold 30, buffer 500/600/1000 ms, one temporal layer: only the last frame is referenced and
updated), 30 s per run: the first 15 frames at START kbit/s (libwebrtc's start bitrate is 300),
then 1700 kbit/s (the encoder's max for 640x480), a keyframe forced at frame 690 (23 s). Prints, per
start bitrate, the encoded kbit/s and the PSNR (libvpx's own) before and after that keyframe.

Usage: python3 scripts/vp8-keyframe-cost.py [START ...]   (default: 300 600 1000 1700)
Needs python3-numpy and libvpx7 (no headers: the structs are declared below)."""
import ctypes as C
import sys
import numpy as np

W, H, FPS = 640, 480, 30
BAR_Y = [180, 162, 131, 112, 84, 65, 35, 128]
BAR_U = [16, 166, 44, 54, 202, 212, 90, 128]
BAR_V = [146, 16, 156, 34, 222, 100, 240, 128]


def checksum(c):
    s = 0x5A
    for i in range(4):
        s = (s * 31 + ((c >> (8 * i)) & 0xFF)) & 0xFF
    return s


def pattern(n):
    """TestPattern.draw (sdk-core) in numpy: bars shifted 4 px a frame, a bouncing box, a counter band."""
    shift = (n * 4) % W
    x = np.arange(W)
    y = np.tile(np.array(BAR_Y, np.uint8)[(((x + shift) % W) * 8) // W], (H, 1))
    cx = np.arange(W // 2)
    bar = (((2 * cx + shift) % W) * 8) // W
    u = np.tile(np.array(BAR_U, np.uint8)[bar], (H // 2, 1))
    v = np.tile(np.array(BAR_V, np.uint8)[bar], (H // 2, 1))
    box = max(8, H // 6) & ~1
    span = max(1, W - box)
    bx = (n * 6) % (2 * span)
    if bx > span:
        bx = 2 * span - bx
    bx &= ~1
    by = (H - box) & ~1
    y[by:by + box, bx:bx + box] = 235
    u[by // 2:(by + box) // 2, bx // 2:(bx + box) // 2] = 128
    v[by // 2:(by + box) // 2, bx // 2:(bx + box) // 2] = 128
    block = max(2, W // 40)
    c = n & 0xFFFFFFFF
    bits = (c << 8) | checksum(c)
    band = min(block * 2, H)
    for i in range(40):
        y[0:band, i * block:(i + 1) * block] = 235 if (bits >> (39 - i)) & 1 else 16
    u[0:(band + 1) // 2, :] = 128
    v[0:(band + 1) // 2, :] = 128
    return y, u, v


class Rational(C.Structure):
    _fields_ = [("num", C.c_int), ("den", C.c_int)]


class FixedBuf(C.Structure):
    _fields_ = [("buf", C.c_void_p), ("sz", C.c_size_t)]


class EncCfg(C.Structure):  # vpx_encoder.h (1.12) up to kf_max_dist; the rest is padding
    _fields_ = [(n, C.c_uint) for n in ("g_usage", "g_threads", "g_profile", "g_w", "g_h", "g_bit_depth",
                                         "g_input_bit_depth")] + [("g_timebase", Rational)] + [
        (n, C.c_uint) for n in ("g_error_resilient", "g_pass", "g_lag_in_frames", "rc_dropframe_thresh",
                                "rc_resize_allowed", "rc_scaled_width", "rc_scaled_height", "rc_resize_up_thresh",
                                "rc_resize_down_thresh", "rc_end_usage")] + [
        ("rc_twopass_stats_in", FixedBuf), ("rc_firstpass_mb_stats_in", FixedBuf)] + [
        (n, C.c_uint) for n in ("rc_target_bitrate", "rc_min_quantizer", "rc_max_quantizer", "rc_undershoot_pct",
                                "rc_overshoot_pct", "rc_buf_sz", "rc_buf_initial_sz", "rc_buf_optimal_sz",
                                "rc_2pass_vbr_bias_pct", "rc_2pass_vbr_minsection_pct",
                                "rc_2pass_vbr_maxsection_pct", "rc_2pass_vbr_corpus_complexity", "kf_mode",
                                "kf_min_dist", "kf_max_dist")] + [("pad", C.c_ubyte * 4096)]


class Frame(C.Structure):
    _fields_ = [("buf", C.c_void_p), ("sz", C.c_size_t), ("pts", C.c_int64), ("duration", C.c_ulong),
                ("flags", C.c_uint32)]


class Pkt(C.Structure):
    _fields_ = [("kind", C.c_int), ("frame", Frame)]


class Image(C.Structure):  # vpx_image.h (ABI 5)
    _fields_ = [(n, C.c_int) for n in ("fmt", "cs", "range", "w", "h", "bit_depth", "d_w", "d_h", "r_w", "r_h",
                                       "x_chroma_shift", "y_chroma_shift")] + [
        ("planes", C.c_void_p * 4), ("stride", C.c_int * 4), ("bps", C.c_int), ("rest", C.c_ubyte * 64)]


vpx = C.CDLL("libvpx.so.7")
vpx.vpx_codec_vp8_cx.restype = C.c_void_p
vpx.vpx_codec_get_cx_data.restype = C.POINTER(Pkt)
vpx.vpx_img_alloc.restype = C.POINTER(Image)
iface = C.c_void_p(vpx.vpx_codec_vp8_cx())

NO_REF_GF, NO_REF_ARF, NO_UPD_GF, NO_UPD_ARF = 1 << 17, 1 << 21, 1 << 22, 1 << 23
ONE_LAYER = NO_REF_GF | NO_REF_ARF | NO_UPD_GF | NO_UPD_ARF  # "always reference and update the same buffer"
FORCE_KF = 1
USE_PSNR = 0x10000


def encode(schedule, frames, keyframe_at):
    cfg = EncCfg()
    assert vpx.vpx_codec_enc_config_default(iface, C.byref(cfg), 0) == 0
    assert cfg.g_w == 320 and cfg.g_h == 240, "struct layout"
    cfg.g_w, cfg.g_h = W, H
    cfg.g_timebase = Rational(1, 90000)
    cfg.g_threads = 1
    cfg.g_error_resilient = 0
    cfg.g_lag_in_frames = 0
    cfg.rc_dropframe_thresh = 30
    cfg.rc_resize_allowed = 1
    cfg.rc_end_usage = 1  # CBR
    cfg.rc_min_quantizer, cfg.rc_max_quantizer = 2, 56
    cfg.rc_undershoot_pct, cfg.rc_overshoot_pct = 100, 15
    cfg.rc_buf_initial_sz, cfg.rc_buf_optimal_sz, cfg.rc_buf_sz = 500, 600, 1000
    cfg.kf_mode, cfg.kf_min_dist, cfg.kf_max_dist = 1, 0, 3000
    cfg.rc_target_bitrate = schedule(0)
    ctx = (C.c_ubyte * 512)()
    assert vpx.vpx_codec_enc_init_ver(ctx, iface, C.byref(cfg), USE_PSNR, 25) == 0  # 25: ENCODER_ABI_VERSION
    for ctrl, val in ((13, -6), (17, 1), (18, 0), (26, 900), (15, 0)):  # cpuused, static thr, partitions, intra pct, noise
        vpx.vpx_codec_control_(ctx, ctrl, C.c_int(val))
    img = vpx.vpx_img_alloc(None, 0x102, W, H, 16)  # I420
    per_second = []
    acc = 0
    target = cfg.rc_target_bitrate
    qp = C.c_int()
    qps = []
    psnrs = []
    for n in range(frames):
        t = schedule(n)
        if t != target:
            target = cfg.rc_target_bitrate = t
            assert vpx.vpx_codec_enc_config_set(ctx, C.byref(cfg)) == 0
        y, u, v = pattern(n)
        for plane, data, rows in ((0, y, H), (1, u, H // 2), (2, v, H // 2)):
            stride = img.contents.stride[plane]
            base = img.contents.planes[plane]
            for r in range(rows):
                C.memmove(base + r * stride, data[r].ctypes.data, data.shape[1])
        flags = ONE_LAYER
        if n in keyframe_at:
            flags = FORCE_KF
        assert vpx.vpx_codec_encode(ctx, img, C.c_int64(n * 3000), 3000, C.c_long(flags), C.c_ulong(1)) == 0
        it = C.c_void_p()
        while True:
            p = vpx.vpx_codec_get_cx_data(ctx, C.byref(it))
            if not p:
                break
            if p.contents.kind == 0:  # a frame
                acc += p.contents.frame.sz
            elif p.contents.kind == 3:  # PSNR: samples[4], sse[4], then psnr[4] (overall first)
                psnrs.append(C.cast(C.addressof(p.contents) + 56, C.POINTER(C.c_double))[0])
        vpx.vpx_codec_control_(ctx, 20, C.byref(qp))  # VP8E_GET_LAST_QUANTIZER_64
        qps.append(qp.value)
        if n % FPS == FPS - 1:
            per_second.append((acc * 8 / 1000, target, sum(qps) / len(qps), sum(psnrs[-FPS:]) / max(1, len(psnrs[-FPS:]))))
            acc = 0
            qps = []
    vpx.vpx_codec_destroy(ctx)
    return per_second


def main(starts):
    import statistics as st
    print("start kbit/s | first second: kbit/s, QP | before the keyframe: kbit/s, PSNR dB | after it: kbit/s, PSNR dB")
    for start in starts:
        rows = encode(lambda n: start if n < 15 else 1700, 30 * FPS, {690})
        before, after = rows[2:23], rows[24:]
        print(f"{start:12d} | {rows[0][0]:6.0f} {rows[0][2]:5.1f} | {st.median(r[0] for r in before):6.0f}"
              f" {st.median(r[3] for r in before):6.2f} | {st.median(r[0] for r in after):6.0f}"
              f" {st.median(r[3] for r in after):6.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [300, 600, 1000, 1700])
