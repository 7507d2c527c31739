#!/usr/bin/python3
"""A GStreamer webrtcbin peer that speaks simplecall's envelope v1 over HTTP long-poll.

Another WebRTC stack for interop tests: Debian's GStreamer (1.22) with webrtcbin, a VP8 test
pattern and an Opus tone. It joins ROOM as ID, calls --call PEER (or waits to be called), answers
the "ping" data channel the way `simplecall peer` speaks it (ping/pong, report/got-report) and, as
the impolite side of perfect negotiation, ignores an offer that collides with its own. As the caller
it opens the "ping" data channel itself (unless --no-channel). It prints
progress on stderr and, when the call ends, one line on stdout:

    RESULT id=ID connected=true frames=N audio=M pings=K offers=O answers=A

Needs: python3-gi, gir1.2-gst-plugins-bad-1.0, gstreamer1.0-plugins-{base,good,bad}, gstreamer1.0-nice.

    /usr/bin/python3 webrtcbin_peer.py --server http://127.0.0.1:8080 --room r1 --id gst --call java
"""
import argparse
import json
import secrets
import sys
import threading
import time
import urllib.error
import urllib.request

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

PIPELINE = """
webrtcbin name=w bundle-policy=max-bundle
videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 ! videoconvert
  ! vp8enc deadline=1 target-bitrate=300000 keyframe-max-dist=30 ! rtpvp8pay pt=96
  ! application/x-rtp,media=video,encoding-name=VP8,payload=96 ! w.
audiotestsrc is-live=true wave=sine freq=440 ! audioconvert ! audioresample ! opusenc ! rtpopuspay pt=111
  ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111 ! w.
"""


def log(msg):
    print("[%s] %s" % (ARGS.id, msg), file=sys.stderr, flush=True)


class LongPoll:
    """A simplecall long-poll session: join, a polling thread, batched sends."""

    def __init__(self, base, room, peer, on_envelope):
        self.base = base.rstrip("/")
        self.on_envelope = on_envelope
        self.stopped = False
        welcome = self._request("POST", "/v1/poll/sessions",
                                {"v": 1, "type": "join", "id": self._id(), "room": room, "from": peer})
        self.session = welcome["session"]
        self.cursor = welcome["cursor"]
        for env in welcome["messages"]:
            on_envelope(env)
        threading.Thread(target=self._poll, daemon=True).start()

    @staticmethod
    def _id():
        return secrets.token_urlsafe(12)

    def _request(self, method, path, body=None, timeout=40):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return json.loads(raw) if raw else None

    def send(self, env):
        env = dict(env, v=1, id=self._id())
        try:
            self._request("POST", "/v1/poll/sessions/%s/messages" % self.session, env, timeout=10)
        except (urllib.error.URLError, OSError) as e:
            log("send of %s failed: %s" % (env.get("type"), e))

    def _poll(self):
        while not self.stopped:
            try:
                got = self._request("GET", "/v1/poll/sessions/%s/messages?after=%d&waitMs=20000"
                                    % (self.session, self.cursor))
            except (urllib.error.URLError, OSError) as e:
                if not self.stopped:
                    log("poll failed: %s" % e)
                    time.sleep(0.5)
                continue
            self.cursor = got["cursor"]
            for env in got["messages"]:
                self.on_envelope(env)

    def leave(self):
        self.stopped = True
        try:
            self._request("DELETE", "/v1/poll/sessions/%s" % self.session, timeout=5)
        except (urllib.error.URLError, OSError):
            pass


class Peer:
    def __init__(self, args):
        self.args = args
        self.loop = GLib.MainLoop()
        self.remote = args.call
        self.seen = set()
        self.connected = False
        self.frames = 0
        self.audio = 0
        self.pings = 0
        self.offers = 0
        self.answers = 0
        self.ignore_offer = False
        self.has_remote = False
        self.pending = []
        self.mids = {}
        self.channels = []
        self.hanging = False
        self.report_sent = False
        self.pipe = Gst.parse_launch(PIPELINE)
        self.w = self.pipe.get_by_name("w")
        self.w.set_property("stun-server", None)
        self.w.connect("on-negotiation-needed", self.on_negotiation_needed)
        self.w.connect("on-ice-candidate", self.on_ice_candidate)
        self.w.connect("pad-added", self.on_pad_added)
        self.w.connect("on-data-channel", self.on_data_channel)
        self.w.connect("notify::connection-state", self.on_connection_state)
        self.signaling = LongPoll(args.server, args.room, args.id,
                                  lambda env: GLib.idle_add(self.on_envelope, env))

    # --- negotiation: the impolite side of perfect negotiation (webrtcbin cannot roll back) ---

    def state(self):
        return self.w.get_property("signaling-state")

    def on_negotiation_needed(self, _w):
        if self.args.call:
            GLib.idle_add(self.make_offer)

    def make_offer(self):
        if self.state() == GstWebRTC.WebRTCSignalingState.STABLE:
            self.create("create-offer", "offer")
        return False

    def create(self, action, kind):
        """Makes an offer or answer and sends it; runs on the main loop (webrtcbin works on its own thread)."""
        promise = Gst.Promise.new()
        self.w.emit(action, None, promise)
        promise.wait()
        reply = promise.get_reply()
        if reply is None or not reply.has_field(kind):
            log("no %s could be made: %s" % (kind, reply.to_string() if reply else "no reply"))
            return
        self.set_local(reply.get_value(kind), kind)

    def set_local(self, desc, kind):
        self.w.emit("set-local-description", desc, None)
        sdp = desc.sdp.as_text()
        self.remember_mids(sdp)
        if kind == "offer":
            self.offers += 1
        else:
            self.answers += 1
        log("sent %s" % kind)
        self.signaling.send({"type": kind, "to": self.remote, "sdp": sdp})
        return False

    def remember_mids(self, sdp):
        index = -1
        for line in sdp.splitlines():
            if line.startswith("m="):
                index += 1
            elif line.startswith("a=mid:"):
                self.mids[index] = line[6:]

    def on_offer(self, sdp):
        if self.state() != GstWebRTC.WebRTCSignalingState.STABLE:
            self.ignore_offer = True
            log("glare: ignoring their offer")
            return
        self.set_remote(sdp, GstWebRTC.WebRTCSDPType.OFFER)
        self.create("create-answer", "answer")

    def on_answer(self, sdp):
        self.ignore_offer = False
        self.set_remote(sdp, GstWebRTC.WebRTCSDPType.ANSWER)

    def set_remote(self, text, kind):
        _, msg = GstSdp.SDPMessage.new_from_text(text)
        desc = GstWebRTC.WebRTCSessionDescription.new(kind, msg)
        self.w.emit("set-remote-description", desc, None)
        self.has_remote = True
        for c in self.pending:
            self.add_candidate(c)
        self.pending = []

    def add_candidate(self, c):
        self.w.emit("add-ice-candidate", int(c.get("sdpMLineIndex") or 0), c["candidate"])

    def on_ice_candidate(self, _w, mline, candidate):
        GLib.idle_add(self.send_candidate, mline, candidate)

    def send_candidate(self, mline, candidate):
        c = {"candidate": candidate, "sdpMLineIndex": mline}
        if mline in self.mids:
            c["sdpMid"] = self.mids[mline]
        self.signaling.send({"type": "candidate", "to": self.remote, "candidate": c})
        return False

    # --- signaling ---

    def on_envelope(self, env):
        key = (env.get("from"), env.get("id"))
        if key in self.seen:
            return False
        self.seen.add(key)
        kind = env.get("type")
        if kind == "welcome" and self.args.call:
            if self.args.call in env.get("peers", []):
                self.start()
        elif kind == "peer-joined" and env.get("peer") == self.args.call:
            self.start()
        elif kind == "offer":
            self.remote = env["from"]
            self.start()
            self.on_offer(env["sdp"])
        elif kind == "answer":
            self.on_answer(env["sdp"])
        elif kind == "candidate":
            c = env.get("candidate")
            if c and c.get("candidate") and not self.ignore_offer:
                if self.has_remote:
                    self.add_candidate(c)
                else:
                    self.pending.append(c)
        elif kind == "bye":
            log("bye: %s" % env.get("reason"))
            self.finish()
        elif kind == "error":
            log("error %s: %s" % (env.get("code"), env.get("message")))
        return False

    def start(self):
        if self.pipe.get_state(0).state != Gst.State.PLAYING:
            self.pipe.set_state(Gst.State.PLAYING)
            if self.args.call and self.args.channel:
                self.on_data_channel(self.w, self.w.emit("create-data-channel", "ping", None))
            GLib.timeout_add_seconds(self.args.timeout, self.give_up)

    def give_up(self):
        if not self.connected:
            log("not connected within %d s" % self.args.timeout)
            self.finish()
        return False

    def on_connection_state(self, w, _pspec):
        state = w.get_property("connection-state")
        if state == GstWebRTC.WebRTCPeerConnectionState.CONNECTED and not self.connected:
            self.connected = True
            log("connected")
            if self.args.duration > 0:
                GLib.timeout_add(int(self.args.duration * 1000), self.hang_up)

    def hang_up(self):
        """Sends this side's report first, as `simplecall peer` does, then bye once theirs came (or 5 s)."""
        self.hanging = True
        open_channels = [c for c in self.channels if c.get_property("ready-state") == GstWebRTC.WebRTCDataChannelState.OPEN]
        if open_channels and not self.report_sent:
            self.send_report(open_channels[0])
            GLib.timeout_add_seconds(5, self.bye)
        else:
            self.bye()
        return False

    def bye(self):
        if self.loop.is_running():
            self.signaling.send({"type": "bye", "to": self.remote, "reason": "hangup"})
            self.finish()
        return False

    def send_report(self, channel):
        self.report_sent = True
        channel.emit("send-string", "report %d %d va" % (self.frames, self.audio))

    # --- media and the "ping" data channel ---

    def on_pad_added(self, _w, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        decode = Gst.ElementFactory.make("decodebin")
        decode.connect("pad-added", self.on_decoded_pad)
        self.pipe.add(decode)
        decode.sync_state_with_parent()
        pad.link(decode.get_static_pad("sink"))

    def on_decoded_pad(self, _decode, pad):
        caps = pad.get_current_caps().to_string()
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("sync", False)
        self.pipe.add(sink)
        sink.sync_state_with_parent()
        video = caps.startswith("video")
        pad.add_probe(Gst.PadProbeType.BUFFER, self.count, video)
        pad.link(sink.get_static_pad("sink"))

    def count(self, _pad, _info, video):
        if video:
            self.frames += 1
        else:
            self.audio += 1
        return Gst.PadProbeReturn.OK

    def on_data_channel(self, _w, channel):
        self.channels.append(channel)
        channel.connect("on-message-string", self.on_channel_message)

    def on_channel_message(self, channel, text):
        parts = text.split(" ")
        if parts[0] == "ping":
            self.pings += 1
            channel.emit("send-string", "pong " + " ".join(parts[1:]))
        elif parts[0] == "report":
            channel.emit("send-string", "got-report")
            if not self.report_sent:
                self.send_report(channel)
            if self.hanging:
                GLib.idle_add(self.bye)

    def finish(self):
        if self.loop.is_running():
            self.loop.quit()
        return False

    def run(self):
        if self.args.call is None:
            log("waiting for a call")
        self.loop.run()
        self.signaling.leave()
        self.pipe.set_state(Gst.State.NULL)
        print("RESULT id=%s connected=%s frames=%d audio=%d pings=%d offers=%d answers=%d"
              % (self.args.id, str(self.connected).lower(), self.frames, self.audio, self.pings,
                 self.offers, self.answers), flush=True)
        return 0 if self.connected else 1


def main():
    global ARGS
    p = argparse.ArgumentParser(description="GStreamer webrtcbin peer for simplecall's long-poll signaling")
    p.add_argument("--server", required=True, help="http://host:port of the simplecall server")
    p.add_argument("--room", required=True)
    p.add_argument("--id", required=True)
    p.add_argument("--call", help="peer to call; without it, wait to be called")
    p.add_argument("--duration", type=float, default=0, help="hang up this many seconds after connecting (0: wait for bye)")
    p.add_argument("--no-channel", dest="channel", action="store_false",
                   help="when calling, do not open data channel \"ping\" (the other side may open it)")
    p.add_argument("--timeout", type=int, default=30, help="give up when not connected within this many seconds")
    ARGS = p.parse_args()
    Gst.init(None)
    sys.exit(Peer(ARGS).run())


ARGS = None
if __name__ == "__main__":
    main()
