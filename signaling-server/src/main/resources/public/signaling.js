'use strict';
/* exported SimplecallSignaling */

/**
 * Envelope v1 signaling for the browser page: WebSocket at /v1/ws, or the long-poll endpoints under
 * /v1/poll when a WebSocket cannot be opened (mode 'auto') or when asked to (mode 'poll').
 *
 * It moves envelopes, nothing else: it fills in v, id, room and from, joins (and joins again after
 * a lost link), keeps messages sent while not joined in an outbox, and drops duplicates by id, since
 * long-poll delivery is at-least-once. The call logic never sees which transport is in use.
 *
 *   const sig = new SimplecallSignaling({base: location.origin, room: 'r1', id: 'alice',
 *       mode: 'auto', onMessage: msg => ..., onState: state => ..., log: console.log});
 *   sig.start();
 *   sig.send({type: 'offer', to: 'bob', sdp});
 */
class SimplecallSignaling {
  constructor(opts) {
    this.base = opts.base.replace(/\/$/, '');
    this.room = opts.room;
    this.id = opts.id;
    this.token = opts.token || null;
    this.mode = opts.mode || 'auto';
    this.onMessage = opts.onMessage;
    this.onState = opts.onState || (() => {});
    this.log = opts.log || (() => {});
    this.transport = null;      // 'ws' or 'poll' once chosen
    this.state = 'offline';     // offline, connecting, joined, reconnecting, failed, closed
    this.closed = false;
    this.joined = false;
    this.everJoined = false;
    this.outbox = [];           // envelopes sent while not joined, in order
    this.seen = new Set();
    this.seenOrder = [];
    this.retry = 0;
    this.ws = null;
    this.sid = null;            // long-poll session id
    this.cursor = 0;
    this.abort = null;
    this.pollOut = [];          // long-poll: envelopes waiting for the next POST
    this.posting = false;
  }

  static newId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);   // works on plain http too, unlike crypto.randomUUID
    return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
  }

  start() {
    if (this.mode === 'poll') this.startPoll(); else this.startWs();
  }

  /** Queues one envelope for sending; returns false once closed. */
  send(partial) {
    if (this.closed) return false;
    const envelope = Object.assign({v: 1, id: SimplecallSignaling.newId(), room: this.room, from: this.id}, partial);
    if (this.joined) this.transmit(envelope); else this.outbox.push(envelope);
    return true;
  }

  /** Leaves the room: 'leave' over WebSocket, DELETE of the long-poll session. Idempotent. */
  close() {
    if (this.closed) return;
    this.closed = true;
    if (this.ws) {
      try {
        this.ws.send(JSON.stringify(this.envelope('leave')));
        this.ws.close(1000, 'leave');
      } catch (e) { /* already gone */ }
    }
    if (this.sid) {
      const url = this.sessionUrl();
      if (this.pollOut.length) this.postBatch(url, this.pollOut.splice(0), true);
      fetch(url, {method: 'DELETE', keepalive: true}).catch(() => {});
    }
    if (this.abort) this.abort.abort();
    this.setState('closed');
  }

  // ---- internals

  envelope(type, extra) {
    return Object.assign({v: 1, type, id: SimplecallSignaling.newId(), room: this.room, from: this.id}, extra || {});
  }

  joinEnvelope() {
    return this.envelope('join', this.token ? {token: this.token} : {});
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.onState(state, this.transport);
  }

  transmit(envelope) {
    if (this.transport === 'ws') {
      if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(envelope));
      else this.outbox.push(envelope);
    } else {
      this.pollOut.push(envelope);
      this.flushPoll();
    }
  }

  deliver(raw) {
    let msg;
    try {
      msg = typeof raw === 'string' ? JSON.parse(raw) : raw;
    } catch (e) {
      this.log('signaling: dropped a message that is not JSON: ' + String(raw).slice(0, 80));
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    if (msg.id) {
      if (this.seen.has(msg.id)) return;           // duplicate (long-poll is at-least-once)
      this.seen.add(msg.id);
      this.seenOrder.push(msg.id);
      if (this.seenOrder.length > 2000) this.seen.delete(this.seenOrder.shift());
    }
    if (msg.type === 'welcome') {
      this.joined = true;
      this.everJoined = true;
      this.retry = 0;
      this.setState('joined');
      const queued = this.outbox.splice(0);
      queued.forEach(e => this.transmit(e));
    } else if (msg.type === 'error' && (msg.code === 'unauthorized'
        || (!this.joined && ['room-full', 'server-busy', 'bad-name'].includes(msg.code)))) {
      // unauthorized also arrives while joined, when the token expired: the server then closes
      this.log('signaling: ' + (this.joined ? 'ended: ' : 'join refused: ') + msg.code + ' ' + (msg.message || ''));
      this.closed = true;
      this.setState('failed');
    }
    try {
      this.onMessage(msg);
    } catch (e) {
      this.log('signaling: handler failed for ' + msg.type + ': ' + e);
    }
  }

  reconnectLater(start) {
    if (this.closed) return;
    this.joined = false;
    this.setState('reconnecting');
    const delay = Math.min(10000, 500 * 2 ** this.retry++) * (0.75 + Math.random() / 2);
    setTimeout(() => { if (!this.closed) start(); }, delay);
  }

  // ---- WebSocket

  startWs() {
    this.transport = 'ws';
    if (!this.everJoined) this.setState('connecting');
    const url = this.base.replace(/^http/, 'ws') + '/v1/ws';
    let opened = false;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      this.log('signaling: cannot open ' + url + ': ' + e);
      if (this.mode === 'auto' && !this.everJoined) this.startPoll(); else this.reconnectLater(() => this.startWs());
      return;
    }
    this.ws = ws;
    const openTimer = setTimeout(() => { if (!opened) ws.close(); }, 5000);
    ws.onopen = () => {
      opened = true;
      clearTimeout(openTimer);
      ws.send(JSON.stringify(this.joinEnvelope()));
    };
    ws.onmessage = ev => this.deliver(ev.data);
    ws.onclose = ev => {
      clearTimeout(openTimer);
      if (this.ws !== ws) return;
      this.ws = null;
      this.joined = false;
      if (this.closed) return;
      if (!opened && this.mode === 'auto' && !this.everJoined) {
        this.log('signaling: no WebSocket at ' + url + ', falling back to long-poll');
        this.startPoll();
        return;
      }
      this.log('signaling: WebSocket closed (' + ev.code + (ev.reason ? ' ' + ev.reason : '') + '), reconnecting');
      this.reconnectLater(() => this.startWs());
    };
  }

  // ---- long-poll

  sessionUrl() {
    return this.base + '/v1/poll/sessions/' + encodeURIComponent(this.sid);
  }

  async startPoll() {
    this.transport = 'poll';
    if (!this.everJoined) this.setState('connecting');
    const ctl = new AbortController();
    this.abort = ctl;
    try {
      const res = await fetch(this.base + '/v1/poll/sessions', {
        method: 'POST', headers: {'content-type': 'application/json'},
        body: JSON.stringify(this.joinEnvelope()), signal: ctl.signal});
      const body = await res.json().catch(() => null);
      if (res.status !== 201 || !body || !body.session) {
        if (body && body.type === 'error') this.deliver(body);
        throw new Error('join answered ' + res.status);
      }
      this.sid = body.session;
      this.cursor = body.cursor || 0;
      (body.messages || []).forEach(m => this.deliver(m));
      this.flushPoll();
      this.pollLoop(ctl, this.sid);
    } catch (e) {
      if (this.closed) return;
      this.log('signaling: long-poll join failed: ' + e.message);
      this.reconnectLater(() => this.startPoll());
    }
  }

  async pollLoop(ctl, sid) {
    while (!this.closed && this.sid === sid) {
      try {
        const res = await fetch(this.sessionUrl() + '/messages?after=' + this.cursor + '&waitMs=25000',
            {signal: ctl.signal, cache: 'no-store'});
        if (res.status === 404) {
          this.log('signaling: long-poll session expired, joining again');
          this.sid = null;
          this.reconnectLater(() => this.startPoll());
          return;
        }
        if (!res.ok) throw new Error('poll answered ' + res.status);
        const body = await res.json();
        (body.messages || []).forEach(m => this.deliver(m));
        if (typeof body.cursor === 'number') this.cursor = body.cursor;
        if (this.joined) this.setState('joined');
        this.retry = 0;
      } catch (e) {
        if (this.closed) return;
        this.setState('reconnecting');
        const delay = Math.min(10000, 500 * 2 ** this.retry++);
        await new Promise(resolve => setTimeout(resolve, delay));
      }
    }
  }

  flushPoll() {
    if (this.posting || !this.sid || !this.pollOut.length) return;
    this.posting = true;
    const batch = this.pollOut.splice(0);
    this.postBatch(this.sessionUrl(), batch, false)
      .then(res => {
        if (res.status === 404) {
          this.pollOut.unshift(...batch);     // kept for the next session
        } else if (!res.ok) {
          res.text().then(t => this.log('signaling: server refused a message: ' + res.status + ' ' + t));
        }
      })
      .catch(() => {
        this.pollOut.unshift(...batch);
        return new Promise(resolve => setTimeout(resolve, 1000));
      })
      .finally(() => {
        this.posting = false;
        if (!this.closed) this.flushPoll();
      });
  }

  postBatch(url, batch, keepalive) {
    return fetch(url + '/messages', {
      method: 'POST', headers: {'content-type': 'application/json'}, keepalive,
      body: JSON.stringify(batch.length === 1 ? batch[0] : batch)});
  }
}
