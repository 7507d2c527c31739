'use strict';
/* exported SimplecallGroup */
/* global SimplecallCall, collectCallStats */

/**
 * The page as a member of a group call (?group=1): one SimplecallCall per other member of the room,
 * made and ended as members come and go, exactly as the Java SDK's RoomSession does it:
 *
 * - Of each pair the member with the smaller peer id calls as soon as it knows of the other; the other
 *   answers. Members joining at once therefore make one connection per pair (perfect negotiation in
 *   SimplecallCall covers a peer that calls anyway).
 * - Every connection carries the data channel "simplecall-room", opened by the caller. "hello" is
 *   answered with "ack" (how members check that data flows both ways); any other text is chat.
 * - A connection that fails while both members stay is made again by the smaller id after 1 s.
 *
 *   const group = new SimplecallGroup({me, send, localStream: () => stream, iceServers: () => servers, hooks});
 *   group.onSignal(envelope);   // everything the room's signaling delivers
 */
class SimplecallGroup {
  constructor(opts) {
    this.me = opts.me;
    this.sendSignal = opts.send;
    this.localStream = opts.localStream;
    this.hooks = opts.hooks;            // log, onMembers, onChat, tile(id) -> <video>
    this.iceServers = [];
    this.members = new Map();           // id -> {id, present, call, stream, channel, state}
    this.seen = new Map();              // id -> what flowed with it: {frames, audioPackets, hello, ack, connected}
    this.ended = false;
    this.welcomed = false;
    this.timer = setInterval(() => this.tick(), 1000);
  }

  onSignal(msg) {
    if (this.ended) return;
    switch (msg.type) {
      case 'welcome': {
        this.iceServers = Array.isArray(msg.iceServers) ? msg.iceServers : [];
        const now = new Set(msg.peers || []);
        // a welcome after a reconnect: members gone meanwhile are treated as having left (the first
        // welcome may predate a member whose arrival was delivered before it)
        if (this.welcomed) {
          for (const m of [...this.members.values()]) if (!now.has(m.id)) this.onSignal({type: 'peer-left', peer: m.id});
        }
        this.welcomed = true;
        for (const p of now) if (p !== this.me) this.maybeCall(this.member(p));
        this.hooks.log('in the room with ' + (this.members.size ? [...this.members.keys()].join(', ') : 'nobody yet'));
        break;
      }
      case 'peer-joined':
        if (msg.peer !== this.me) this.maybeCall(this.member(msg.peer));
        break;
      case 'peer-left': {
        const m = this.members.get(msg.peer);
        if (!m) break;
        m.present = false;
        if (m.call) m.call.end('REMOTE_GONE', msg.peer + ' left the room');
        else this.remove(m);
        break;
      }
      case 'offer': {
        const m = this.member(msg.from);
        if (!m.call) this.connect(m, false);
        m.call.handle(msg);
        break;
      }
      case 'answer':
      case 'candidate': {
        const m = this.members.get(msg.from);
        if (m && m.call) m.call.handle(msg);
        break;
      }
      case 'bye': {
        const m = this.members.get(msg.from);
        if (m && m.call) m.call.end('REMOTE_HANGUP', msg.reason || null);
        break;
      }
      case 'error':
        this.hooks.log('server error ' + msg.code + ': ' + (msg.message || ''));
        break;
      default:
        break;
    }
  }

  member(id) {
    let m = this.members.get(id);
    if (!m) {
      m = {id, present: true, call: null, stream: null, channel: null, state: 'NEW'};
      this.members.set(id, m);
      if (!this.seen.has(id)) this.seen.set(id, {frames: 0, audioPackets: 0, hello: false, ack: false, connected: false});
      this.hooks.log(id + ' is in the room');
      this.hooks.onMembers();
    }
    m.present = true;
    return m;
  }

  remove(m) {
    if (this.members.get(m.id) !== m) return;
    this.members.delete(m.id);
    this.hooks.log(m.id + ' left');
    this.hooks.onMembers();
  }

  maybeCall(m) {
    if (m.present && !m.call && this.me < m.id) this.connect(m, true);
  }

  connect(m, caller) {
    m.stream = new MediaStream();
    m.channel = null;
    const call = new SimplecallCall({
      me: this.me, remote: m.id, iceServers: this.iceServers, localStream: this.localStream(),
      send: partial => this.sendSignal(partial),
      hooks: {
        log: this.hooks.log,
        onState: state => {
          m.state = state;
          if (state === 'CONNECTED') this.seen.get(m.id).connected = true;
          this.hooks.onMembers();
        },
        onTrack: track => {
          m.stream.addTrack(track);
          const video = this.hooks.tile(m.id);
          if (video && video.srcObject !== m.stream) video.srcObject = m.stream;
        },
        onChannel: ch => this.wireChannel(m, ch),
        onGlare: () => {},
        onEnded: reason => this.callEnded(m, call, reason),
      }});
    m.call = call;
    m.state = 'CONNECTING';
    if (caller) call.start(!this.localStream(), [SimplecallGroup.CHANNEL]);
    this.hooks.onMembers();
  }

  callEnded(m, call, reason) {
    if (m.call !== call) return;
    m.call = null;
    m.channel = null;
    this.hooks.log('connection with ' + m.id + ' ended ' + reason);
    if (this.ended) return;
    if (!m.present) {
      this.remove(m);
      return;
    }
    m.state = 'RECONNECTING';
    this.hooks.onMembers();
    if (this.me < m.id) setTimeout(() => { if (!this.ended && this.members.get(m.id) === m) this.maybeCall(m); }, 1000);
  }

  wireChannel(m, ch) {
    if (ch.label !== SimplecallGroup.CHANNEL) return;
    ch.onopen = () => { m.channel = ch; this.hooks.onMembers(); };
    if (ch.readyState === 'open') m.channel = ch;
    ch.onmessage = ev => {
      if (typeof ev.data !== 'string') return;
      const seen = this.seen.get(m.id);
      if (ev.data === 'hello') {
        seen.hello = true;
        ch.send('ack');
      } else if (ev.data === 'ack') {
        seen.ack = true;
      } else {
        this.hooks.onChat(m.id, ev.data);
      }
    };
  }

  /** Sends {@code text} to every member whose channel is open; returns how many. */
  sendToAll(text) {
    let sent = 0;
    for (const m of this.members.values()) {
      if (m.channel && m.channel.readyState === 'open') {
        m.channel.send(text);
        sent++;
      }
    }
    return sent;
  }

  /** Every second: hello to members that have not acknowledged one, what flowed, the active speaker. */
  async tick() {
    let loudest = null, level = 0.01;
    for (const m of this.members.values()) {
      const seen = this.seen.get(m.id);
      if (m.channel && m.channel.readyState === 'open' && !seen.ack) m.channel.send('hello');
      if (!m.call) continue;
      try {
        const s = await collectCallStats(m.call.pc, null);
        seen.frames = Math.max(seen.frames, s.framesDecoded);
        seen.audioPackets = Math.max(seen.audioPackets, s.audioPacketsReceived);
        m.audioLevel = s.audioLevel || 0;
        if (m.audioLevel > level) { loudest = m.id; level = m.audioLevel; }
      } catch (e) {
        // the connection closed meanwhile
      }
    }
    if (loudest !== this.speaker) {
      this.speaker = loudest;
      this.hooks.onMembers();
    }
  }

  leave() {
    this.ended = true;
    clearInterval(this.timer);
    for (const m of this.members.values()) if (m.call) m.call.end('HANGUP', null, 'hangup');
    this.members.clear();
    this.hooks.onMembers();
  }
}
SimplecallGroup.CHANNEL = 'simplecall-room';
