'use strict';
/* exported SimplecallCall, collectCallStats */

/**
 * One call with one remote peer: an RTCPeerConnection driven by perfect negotiation, exactly as the
 * Java SDK does it, so either side may call first and both may call at once.
 *
 * - Roles: the peer whose id is lexicographically greater (Java String.compareTo > 0, which is also
 *   JavaScript's < and > on strings: both compare UTF-16 code units) is POLITE. On glare the polite
 *   side rolls back its own offer (once it is set) and answers; the impolite side ignores the incoming offer.
 * - Trickle ICE: every candidate is sent as it is found, then {candidate: null} (end of candidates).
 *   Remote candidates that arrive before the remote description are buffered.
 * - ICE restart: when the connection fails, or stays disconnected for 3 s.
 * - Signaling messages for this call are handled one at a time, in arrival order.
 *
 *   const call = new SimplecallCall({me: 'alice', remote: 'bob', send, iceServers, localStream, hooks});
 *   call.start();          // caller: adds media + chat channel, negotiationneeded sends the offer
 *   call.handle(message);  // offer / answer / candidate from bob
 */
class SimplecallCall {
  constructor(opts) {
    this.me = opts.me;
    this.remote = opts.remote;
    this.polite = opts.me > opts.remote;
    this.sendSignal = opts.send;
    this.hooks = opts.hooks;            // onState, onTrack, onChannel, onGlare, onEnded, log
    this.startedAt = performance.now();
    this.connectedMs = -1;
    this.everConnected = false;
    this.state = 'CONNECTING';
    this.ended = false;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.settingRemoteAnswer = false;
    this.pendingCandidates = [];
    this.localCandidates = 0;
    this.remoteCandidates = 0;
    this.offerGathering = Promise.resolve();   // resolves once our offer's first candidate is found
    this.candidateFound = () => {};
    this.negotiation = Promise.resolve();   // the offer being made, if any (makeOffer)
    this.queue = Promise.resolve();
    this.channels = [];
    this.restartTimer = null;
    this.failTimer = null;
    this.noAnswerTimer = null;
    this.noAnswerMs = opts.noAnswerMs || 30000;
    this.pc = new RTCPeerConnection({iceServers: opts.iceServers || []});
    this.wire(opts.localStream);
    // no connection at all within 20 s: give up, as the SDK's iceFailureTimeout does
    this.failTimer = setTimeout(() => {
      if (!this.everConnected) this.end('ICE_FAILED', 'no route: try a TURN server', 'ice-failed');
    }, 20000);
  }

  /**
   * Resolves at the next local candidate or end of candidates, or after 1 s (a network with no usable
   * interface finds none).
   */
  firstCandidate() {
    return new Promise(resolve => {
      const timer = setTimeout(resolve, 1000);
      this.candidateFound = () => {
        clearTimeout(timer);
        this.candidateFound = () => {};
        resolve();
      };
    });
  }

  log(text) {
    this.hooks.log('[call with ' + this.remote + '] ' + text);
  }

  send(partial) {
    return this.sendSignal(Object.assign({to: this.remote}, partial));
  }

  wire(localStream) {
    const pc = this.pc;
    if (localStream) {
      localStream.getTracks().forEach(track => pc.addTrack(track, localStream));
    }
    pc.onnegotiationneeded = () => {
      this.negotiation = this.makeOffer();
    };
    pc.onicecandidate = ({candidate}) => {
      if (this.ended) return;
      if (candidate && !candidate.candidate) return;   // legacy per-m-line end marker; null follows
      if (candidate) this.localCandidates++; else this.log('sent ' + this.localCandidates + ' local candidates');
      this.candidateFound();
      this.send({type: 'candidate', candidate: candidate
          ? {candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex}
          : null});
    };
    pc.ontrack = ({track}) => this.hooks.onTrack(track);
    pc.ondatachannel = ({channel}) => this.adoptChannel(channel);
    pc.onconnectionstatechange = () => this.onConnectionState(pc.connectionState);
    pc.onicegatheringstatechange = () => this.log('gathering ' + pc.iceGatheringState);
    pc.oniceconnectionstatechange = () => this.log('ice ' + pc.iceConnectionState);
  }

  async makeOffer() {
    if (this.ended) return;
    const pc = this.pc;
    try {
      this.makingOffer = true;
      this.offerGathering = this.firstCandidate();
      await pc.setLocalDescription();
      if (pc.iceGatheringState === 'complete') this.candidateFound();   // a renegotiation gathers nothing
      this.send({type: pc.localDescription.type, sdp: pc.localDescription.sdp});
      this.log('sent ' + pc.localDescription.type);
    } catch (e) {
      this.log('negotiation failed: ' + e);
    } finally {
      this.makingOffer = false;
    }
  }

  /**
   * Caller side: media is already added; the data channels make the first offer (via negotiationneeded):
   * by default "chat" for the page's chat, and "ping", where the CLI peer (simplecall peer) checks data
   * flow; a group call's connection carries "simplecall-room" instead.
   */
  start(withoutLocalMedia, labels = ['chat', 'ping']) {
    if (withoutLocalMedia) {
      this.pc.addTransceiver('audio', {direction: 'recvonly'});
      this.pc.addTransceiver('video', {direction: 'recvonly'});
    }
    for (const label of labels) this.adoptChannel(this.pc.createDataChannel(label, {ordered: true}));
    // like the SDK's noAnswerTimeout: no answer (and no offer of theirs) in time ends with bye "timeout"
    this.noAnswerTimer = setTimeout(() => this.end('NO_ANSWER', 'no answer', 'timeout'), this.noAnswerMs);
  }

  adoptChannel(channel) {
    this.channels.push(channel);
    this.hooks.onChannel(channel);
  }

  openChannel(filter) {
    return this.channels.find(c => c.readyState === 'open' && (!filter || filter(c))) || null;
  }

  /** Queues one signaling message from the remote peer; messages are handled one at a time. */
  handle(msg) {
    this.queue = this.queue.then(() => this.handleNow(msg)).catch(e => {
      this.log(msg.type + ' failed: ' + e);
      // a first offer or answer that cannot be applied (bad SDP, no common codec) ends the call at once;
      // later renegotiation failures are only logged, the call goes on with what it has
      if (!this.everConnected && (msg.type === 'offer' || msg.type === 'answer')) {
        this.end('FAILED', msg.type + ' failed: ' + e.message, 'error');
      }
    });
  }

  async handleNow(msg) {
    if (this.ended) return;
    const pc = this.pc;
    if (msg.type === 'offer' || msg.type === 'answer') {
      if (typeof msg.sdp !== 'string') throw new Error(msg.type + ' without sdp');
      // An offer of theirs while ours is being set waits until ours is set: Chromium 156 rolling back
      // an offer whose setLocalDescription is still in flight (the implicit rollback of
      // setRemoteDescription) leaves the new ICE transport without candidates and without checks.
      if (msg.type === 'offer' && this.makingOffer) await this.negotiation;
      const readyForOffer = !this.makingOffer && (pc.signalingState === 'stable' || this.settingRemoteAnswer);
      const offerCollision = msg.type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.polite && offerCollision;
      if (this.ignoreOffer) {
        this.log('glare: ignoring their offer (impolite)');
        this.hooks.onGlare('ignored');
        return;
      }
      if (offerCollision) {
        // Chromium 156, rolling back an offer whose candidate gathering has not yet found a candidate,
        // now and then leaves the peer connection gathering forever with no candidate and no checks (an
        // ICE restart does not revive it): the rollback waits for our first candidate
        await this.offerGathering;
        if (this.ended) return;
        this.log('glare: rolling back our offer (polite)');
        this.hooks.onGlare('rolledBack');
      }
      this.settingRemoteAnswer = msg.type === 'answer';
      try {
        await pc.setRemoteDescription({type: msg.type, sdp: msg.sdp});   // rolls back our offer if needed
      } finally {
        this.settingRemoteAnswer = false;
      }
      this.log('applied ' + msg.type);
      clearTimeout(this.noAnswerTimer);   // they answered, or are calling us too
      const buffered = this.pendingCandidates.splice(0);
      for (const c of buffered) await this.addCandidate(c);
      if (msg.type === 'offer') {
        await pc.setLocalDescription();
        this.send({type: 'answer', sdp: pc.localDescription.sdp});
        this.log('sent answer');
      }
    } else if (msg.type === 'candidate') {
      const c = msg.candidate || null;
      if (c) this.remoteCandidates++; else this.log('received ' + this.remoteCandidates + ' remote candidates');
      // after ignoring a colliding offer, their candidates (and end-of-candidates) belong to that
      // offer until their answer to ours clears ignoreOffer: buffering them would apply stale ones
      if (this.ignoreOffer) return;
      if (!pc.remoteDescription) this.pendingCandidates.push(c); else await this.addCandidate(c);
    }
  }

  async addCandidate(c) {
    try {
      // null = end of candidates: addIceCandidate() without an argument says exactly that
      if (c) await this.pc.addIceCandidate(c); else await this.pc.addIceCandidate();
    } catch (e) {
      if (!this.ignoreOffer && c) this.log('candidate refused: ' + e);
    }
  }

  onConnectionState(s) {
    if (this.ended) return;
    this.log('connection ' + s);
    if (s === 'connected') {
      clearTimeout(this.restartTimer);
      this.restartTimer = null;
      if (!this.everConnected) {
        this.everConnected = true;
        this.connectedMs = Math.round(performance.now() - this.startedAt);
      }
      this.setState('CONNECTED');
    } else if (s === 'disconnected') {
      if (this.everConnected) this.setState('RECONNECTING');
      clearTimeout(this.restartTimer);
      this.restartTimer = setTimeout(() => this.restartIce('disconnected for 3 s'), 3000);
    } else if (s === 'failed') {
      if (this.everConnected) this.setState('RECONNECTING');
      this.restartIce('ICE failed');
      clearTimeout(this.failTimer);
      this.failTimer = setTimeout(() => {
        if (this.pc.connectionState !== 'connected') this.end('ICE_FAILED', 'ICE restart did not reconnect', 'ice-failed');
      }, 20000);
    }
  }

  restartIce(why, evenIfConnected) {
    if (this.ended || (this.pc.connectionState === 'connected' && !evenIfConnected)) return;
    this.log('ICE restart: ' + why);
    this.pc.restartIce();   // fires negotiationneeded: a new offer with fresh ufrag/pwd
  }

  setState(state) {
    if (this.state === state || this.ended) return;
    this.state = state;
    this.hooks.onState(state);
  }

  /** Ends the call once: sends bye with byeReason when given, closes everything. */
  end(reason, detail, byeReason) {
    if (this.ended) return;
    if (byeReason) this.send({type: 'bye', reason: byeReason});
    this.ended = true;
    this.state = 'ENDED';
    clearTimeout(this.restartTimer);
    clearTimeout(this.failTimer);
    clearTimeout(this.noAnswerTimer);
    this.channels.forEach(c => { try { c.close(); } catch (e) { /* closing anyway */ } });
    try { this.pc.close(); } catch (e) { /* already closed */ }
    this.log('ended: ' + reason + (detail ? ' (' + detail + ')' : ''));
    this.hooks.onEnded(reason, detail);
  }
}

/**
 * The CLI's live figures from one getStats() report. prev is the previous result (or null), used for
 * bitrates.
 */
async function collectCallStats(pc, prev) {
  const report = await pc.getStats();
  const s = {
    at: performance.now(), framesDecoded: 0, framesReceived: 0, framesSent: 0, fps: 0, width: 0, height: 0,
    bytesIn: 0, bytesOut: 0, bitrateInBps: 0, bitrateOutBps: 0, audioPacketsReceived: 0, audioPacketsSent: 0,
    packetsLost: 0, jitterMs: 0, rttMs: null, localCandidateType: null, remoteCandidateType: null,
    localAddress: null, remoteAddress: null, candidateProtocol: null, videoCodec: null, audioLevel: 0,
  };
  let pairId = null;
  const codecs = {};
  report.forEach(r => {
    if (r.type === 'codec') codecs[r.id] = r.mimeType;
    if (r.type === 'inbound-rtp' && r.kind === 'video') {
      s.framesDecoded += r.framesDecoded || 0;
      s.framesReceived += r.framesReceived || 0;
      s.fps = r.framesPerSecond || 0;
      s.width = r.frameWidth || 0;
      s.height = r.frameHeight || 0;
      s.bytesIn += r.bytesReceived || 0;
      s.packetsLost += r.packetsLost || 0;
      s.videoCodecId = r.codecId;
    } else if (r.type === 'inbound-rtp' && r.kind === 'audio') {
      s.audioPacketsReceived += r.packetsReceived || 0;
      s.bytesIn += r.bytesReceived || 0;
      s.packetsLost += r.packetsLost || 0;
      s.jitterMs = (r.jitter || 0) * 1000;
      s.audioLevel = r.audioLevel || 0;
    } else if (r.type === 'outbound-rtp' && r.kind === 'video') {
      s.framesSent += r.framesSent || 0;
      s.bytesOut += r.bytesSent || 0;
    } else if (r.type === 'outbound-rtp' && r.kind === 'audio') {
      s.audioPacketsSent += r.packetsSent || 0;
      s.bytesOut += r.bytesSent || 0;
    } else if (r.type === 'transport' && r.selectedCandidatePairId) {
      pairId = r.selectedCandidatePairId;
    }
  });
  if (s.videoCodecId) s.videoCodec = codecs[s.videoCodecId] || null;
  delete s.videoCodecId;
  let pair = pairId ? report.get(pairId) : null;
  if (!pair) report.forEach(r => { if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') pair = r; });
  if (pair) {
    if (typeof pair.currentRoundTripTime === 'number') s.rttMs = pair.currentRoundTripTime * 1000;
    const local = report.get(pair.localCandidateId);
    const remote = report.get(pair.remoteCandidateId);
    if (local) {
      s.localCandidateType = local.candidateType;
      s.localAddress = (local.address || local.ip) + ':' + local.port;
      s.candidateProtocol = local.protocol;
    }
    if (remote) {
      s.remoteCandidateType = remote.candidateType;
      // Chrome leaves out the address of a peer-reflexive remote candidate (it was never signaled)
      s.remoteAddress = (remote.address || remote.ip || '?') + ':' + remote.port;
    }
  }
  s.hasRates = !!(prev && s.at > prev.at);
  if (s.hasRates) {
    const seconds = (s.at - prev.at) / 1000;
    s.bitrateInBps = Math.max(0, Math.round((s.bytesIn - prev.bytesIn) * 8 / seconds));
    s.bitrateOutBps = Math.max(0, Math.round((s.bytesOut - prev.bytesOut) * 8 / seconds));
  }
  return s;
}
