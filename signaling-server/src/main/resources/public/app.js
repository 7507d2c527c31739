'use strict';
/* global SimplecallSignaling, SimplecallCall, SimplecallGroup, collectCallStats */

// The simplecall browser page: join a room, call or answer one peer, video + audio + chat, live stats.
// Query parameters: ?room=r1&id=alice&call=bob&autostart=1&transport=auto|ws|poll&token=T
//                   &video=640x480@30&autoanswer=1&noanswer=30 (seconds)&group=1
// group=1 joins the room as a member of a group call (group.js): a tile per member, chat to all.
// autostart=1 only prefills and asks (the page's own prompt) before joining and opening camera and
// microphone: a link from anywhere must not turn them on, nor join under the link's choice of id.
// Auto-answer is off unless autoanswer=1. A token is taken out of the address bar as soon as it is read,
// so it stays out of history, bookmarks and screenshots (the page also sends no Referer).
// window.simplecall is a small hook for tests and the console (see the bottom of this file).

const $ = id => document.getElementById(id);
const params = new URLSearchParams(location.search);
const token = takeToken();

function takeToken() {
  const t = params.get('token');
  if (!params.has('token')) return null;
  const rest = new URLSearchParams(location.search);
  rest.delete('token');
  const query = rest.toString();
  history.replaceState(history.state, '', location.pathname + (query ? '?' + query : '') + location.hash);
  return t || null;
}

const app = {
  me: null, room: null, sig: null, iceServers: [], peers: new Set(),
  localStream: null, remoteStream: null, call: null, callTarget: null, incoming: null,
  state: 'NEW', endReason: null, endDetail: null, pcCount: 0, glare: {ignored: 0, rolledBack: 0},
  stats: null, firstFrameMs: -1, statsTimer: null,
  chat: [], lastChat: null, pings: new Map(), dcEchoMs: null,        // channel "chat"
  pingsAnswered: 0, remoteReport: null, reportSent: false,            // channel "ping" (the CLI's)
  groupMode: params.get('group') === '1', group: null,               // a group call (group.js)
};

function log(text) {
  const line = new Date().toISOString().slice(11, 23) + ' ' + text;
  console.log('[simplecall] ' + line);
  const li = document.createElement('li');
  li.textContent = line;
  $('log').prepend(li);
  while ($('log').children.length > 200) $('log').lastChild.remove();
}

function parseVideo(spec) {
  const m = /^(\d+)x(\d+)(?:@(\d+))?$/.exec(spec || '');
  return m ? {width: +m[1], height: +m[2], frameRate: m[3] ? +m[3] : 30} : {width: 640, height: 480, frameRate: 30};
}

async function startMedia() {
  if (app.localStream) return app.localStream;
  const v = parseVideo(params.get('video'));
  try {
    app.localStream = await navigator.mediaDevices.getUserMedia({
      audio: true,
      video: {width: {ideal: v.width}, height: {ideal: v.height}, frameRate: {ideal: v.frameRate}}});
    $('local').srcObject = app.localStream;
    $('mute').disabled = false;
    $('camera').disabled = false;
    log('camera and microphone on');
  } catch (e) {
    // no camera, no permission, or not a secure context (plain http on a non-localhost address)
    log('no camera/microphone (' + e.name + ': ' + e.message + '): receiving only');
  }
  return app.localStream;
}

/** Mute and camera-off only disable the tracks: the other side gets silence / black frames, no renegotiation. */
function setTrackEnabled(kind, enabled) {
  if (!app.localStream) return false;
  app.localStream.getTracks().filter(t => t.kind === kind).forEach(t => { t.enabled = enabled; });
  if (kind === 'audio') $('mute').textContent = enabled ? 'Mute' : 'Unmute';
  else $('camera').textContent = enabled ? 'Camera off' : 'Camera on';
  log((kind === 'audio' ? 'microphone ' : 'camera ') + (enabled ? 'on' : 'off'));
  return true;
}

function trackEnabled(kind) {
  return !!app.localStream && app.localStream.getTracks().some(t => t.kind === kind && t.enabled);
}

// ---- joining and leaving

async function join(room, me, mode) {
  if (app.sig) return;
  app.room = room;
  app.me = me;
  $('local-name').textContent = me;
  $('join').disabled = true;
  await startMedia();
  if (app.groupMode) startGroup(me);
  app.sig = new SimplecallSignaling({
    base: location.origin, room, id: me, mode, token,
    onMessage: msg => (app.group ? app.group.onSignal(msg) : onSignal(msg)), onState: onSignalingState, log});
  app.sig.start();
  $('leave').disabled = false;
}

function leave() {
  if (app.group) app.group.leave();
  app.group = null;
  if (app.call) hangUp();
  if (app.incoming) declineIncoming();
  if (app.sig) app.sig.close();
  app.sig = null;
  if (app.localStream) app.localStream.getTracks().forEach(t => t.stop());
  app.localStream = null;
  $('local').srcObject = null;
  $('mute').disabled = true;
  $('camera').disabled = true;
  app.peers.clear();
  renderPeers();
  $('join').disabled = false;
  $('leave').disabled = true;
}

function onSignalingState(state, transport) {
  $('sig-state').textContent = state + (transport ? ' (' + (transport === 'ws' ? 'WebSocket' : 'long-poll') + ')' : '');
  $('call').disabled = state !== 'joined' || !!app.call;
  log('signaling ' + state + (transport ? ' over ' + transport : ''));
}

function renderPeers() {
  $('peers').replaceChildren(...[...app.peers].map(p => Object.assign(document.createElement('option'), {value: p})));
}

// ---- a group call (?group=1): a tile per member instead of the one remote video

function startGroup(me) {
  $('call-bar').classList.add('group');
  app.group = new SimplecallGroup({
    me, send: partial => app.sig.send(partial), localStream: () => app.localStream,
    hooks: {
      log,
      onMembers: renderTiles,
      onChat: (from, text) => addChat(from, text),
      tile: id => tileFor(id).querySelector('video'),
    }});
  $('chat-input').disabled = false;
  $('chat-send').disabled = false;
}

function tileFor(id) {
  let fig = document.querySelector('#videos figure[data-member="' + CSS.escape(id) + '"]');
  if (!fig) {
    fig = document.createElement('figure');
    fig.dataset.member = id;
    const video = Object.assign(document.createElement('video'), {autoplay: true, playsInline: true});
    const caption = document.createElement('figcaption');
    fig.append(video, caption);
    $('videos').append(fig);
  }
  return fig;
}

function renderTiles() {
  const g = app.group;
  $('remote').parentElement.hidden = !!g;
  for (const fig of document.querySelectorAll('#videos figure[data-member]')) {
    if (!g || !g.members.has(fig.dataset.member)) fig.remove();
  }
  if (!g) return;
  for (const m of g.members.values()) {
    const fig = tileFor(m.id);
    fig.classList.toggle('speaking', g.speaker === m.id);
    fig.querySelector('figcaption').textContent = m.id + ' (' + m.state.toLowerCase() + ')';
  }
  $('call-state').textContent = 'group: ' + g.members.size + ' other member(s)';
}

// ---- routing of incoming envelopes

function onSignal(msg) {
  switch (msg.type) {
    case 'welcome':
      app.iceServers = Array.isArray(msg.iceServers) ? msg.iceServers : [];
      app.peers = new Set(msg.peers || []);
      renderPeers();
      log('joined ' + app.room + ' as ' + app.me + '; peers: ' + ([...app.peers].join(', ') || 'none'));
      maybeAutoCall();
      break;
    case 'peer-joined':
      app.peers.add(msg.peer);
      renderPeers();
      log(msg.peer + ' joined');
      maybeAutoCall();
      break;
    case 'peer-left':
      app.peers.delete(msg.peer);
      renderPeers();
      log(msg.peer + ' left');
      if (app.call && app.call.remote === msg.peer) app.call.end('REMOTE_GONE', msg.peer + ' left the room');
      if (app.incoming && app.incoming.from === msg.peer) clearIncoming();
      break;
    case 'offer':
      onOffer(msg);
      break;
    case 'answer':
    case 'candidate':
      if (app.call && app.call.remote === msg.from) app.call.handle(msg);
      else if (app.incoming && app.incoming.from === msg.from) app.incoming.queued.push(msg);
      break;
    case 'bye':
      onBye(msg);
      break;
    case 'error':
      log('server error ' + msg.code + ': ' + (msg.message || '') + (msg.ref ? ' (ref ' + msg.ref + ')' : ''));
      if (msg.code === 'no-such-peer' && app.call && !app.call.everConnected) {
        app.call.end('FAILED', msg.message || 'no such peer');
      }
      break;
    default:
      log('ignored message type ' + msg.type);
  }
}

function onOffer(msg) {
  const other = (app.call && app.call.remote !== msg.from) || (app.incoming && app.incoming.from !== msg.from);
  if (other) {
    log('busy: refusing a call from ' + msg.from);
    app.sig.send({type: 'bye', to: msg.from, reason: 'busy'});
    return;
  }
  if (app.call) { app.call.handle(msg); return; }        // renegotiation, ICE restart or glare
  if (app.incoming) {               // the same caller again (an ICE restart while ringing)
    app.incoming.queued.push(msg);
    return;
  }
  if ($('auto-answer').checked) {
    newCall(msg.from, false).handle(msg);
  } else {
    app.incoming = {from: msg.from, queued: [msg]};
    $('incoming-peer').textContent = msg.from;
    $('incoming').hidden = false;
    log('incoming call from ' + msg.from);
  }
}

function onBye(msg) {
  if (app.incoming && app.incoming.from === msg.from) { clearIncoming(); return; }
  if (!app.call || app.call.remote !== msg.from) return;
  const reasons = {busy: 'BUSY', declined: 'DECLINED', timeout: 'NO_ANSWER', 'ice-failed': 'ICE_FAILED', error: 'FAILED'};
  app.call.end(reasons[msg.reason] || 'REMOTE_HANGUP', msg.reason || null);
}

function clearIncoming() {
  app.incoming = null;
  $('incoming').hidden = true;
}

function acceptIncoming() {
  const inc = app.incoming;
  if (!inc) return;
  clearIncoming();
  const call = newCall(inc.from, false);
  inc.queued.forEach(m => call.handle(m));
}

function declineIncoming() {
  if (!app.incoming) return;
  app.sig.send({type: 'bye', to: app.incoming.from, reason: 'declined'});
  clearIncoming();
}

function maybeAutoCall() {
  if (app.callTarget && !app.call && app.peers.has(app.callTarget)) {
    const target = app.callTarget;
    app.callTarget = null;
    callPeer(target);
  }
}

// ---- calls

function newCall(remote, caller) {
  app.remoteStream = new MediaStream();
  $('remote').srcObject = app.remoteStream;
  $('remote-name').textContent = remote;
  $('peer').value = remote;
  app.firstFrameMs = -1;
  app.endReason = null;
  app.endDetail = null;
  app.stats = null;
  app.glare = {ignored: 0, rolledBack: 0};
  app.pings.clear();
  app.pingsAnswered = 0;
  app.remoteReport = null;
  app.reportSent = false;
  app.dcEchoMs = null;
  const call = new SimplecallCall({
    me: app.me, remote, iceServers: app.iceServers, localStream: app.localStream,
    noAnswerMs: +params.get('noanswer') * 1000 || 30000,
    send: partial => app.sig.send(partial),
    hooks: {
      log,
      onState: state => setCallState(state),
      onTrack: onRemoteTrack,
      onChannel: ch => wireChannel(ch),
      onGlare: kind => { app.glare[kind]++; },
      onEnded: (reason, detail) => onCallEnded(call, reason, detail),
    }});
  app.call = call;
  app.pcCount++;
  setCallState('CONNECTING');
  if (caller) call.start(!app.localStream);
  log((caller ? 'calling ' : 'answering ') + remote + ' as the ' + (call.polite ? 'polite' : 'impolite') + ' peer');
  clearInterval(app.statsTimer);
  app.statsTimer = setInterval(refreshStats, 1000);
  return call;
}

function callPeer(peer) {
  peer = (peer || '').trim();
  if (!peer) throw new Error('no peer id given');
  if (!app.sig) throw new Error('join a room first');
  if (peer === app.me) throw new Error('cannot call yourself');
  if (app.call) {
    if (app.call.remote === peer) return;   // already in a call with them (maybe they called first)
    throw new Error('already in a call with ' + app.call.remote);
  }
  if (app.incoming && app.incoming.from === peer) { acceptIncoming(); return; }
  newCall(peer, true);
}

function hangUp() {
  if (app.call) app.call.end('HANGUP', null, 'hangup');
}

function onRemoteTrack(track) {
  app.remoteStream.addTrack(track);
  track.onended = () => app.remoteStream && app.remoteStream.removeTrack(track);
  const video = $('remote');
  if (track.kind === 'video' && app.firstFrameMs < 0 && video.requestVideoFrameCallback) {
    const call = app.call;
    video.requestVideoFrameCallback(() => {
      if (app.call === call) app.firstFrameMs = Math.round(performance.now() - call.startedAt);
    });
  }
  video.play().catch(() => {
    // autoplay with sound needs a user gesture: play muted, unmute on the next click
    video.muted = true;
    video.play().catch(() => {});
    log('remote audio muted until you click the page (browser autoplay policy)');
    document.addEventListener('click', () => { video.muted = false; }, {once: true});
  });
}

function setCallState(state) {
  app.state = state;
  $('call-state').textContent = state + (app.endReason ? ' (' + app.endReason + ')' : '');
  const inCall = state !== 'ENDED' && state !== 'NEW';
  $('hangup').disabled = !inCall;
  $('call').disabled = inCall || !app.sig || app.sig.state !== 'joined';
}

function onCallEnded(call, reason, detail) {
  if (app.call !== call) return;
  app.call = null;
  app.endReason = reason;
  app.endDetail = detail || null;
  clearInterval(app.statsTimer);
  $('remote').srcObject = null;
  app.remoteStream = null;
  $('chat-input').disabled = true;
  $('chat-send').disabled = true;
  setCallState('ENDED');
}

// ---- chat over data channels

function wireChannel(ch) {
  ch.onopen = () => {
    log('data channel "' + ch.label + '" open');
    if (ch.label === PING_LABEL) return;
    $('chat-input').disabled = false;
    $('chat-send').disabled = false;
  };
  ch.onmessage = ev => (ch.label === PING_LABEL ? onPingText(ch, ev.data) : onChatMessage(ch, ev.data));
  ch.onclose = () => log('data channel "' + ch.label + '" closed');
}

function onChatMessage(ch, data) {
  const text = typeof data === 'string' ? data : '[' + (data.byteLength || data.size) + ' bytes]';
  addChat(app.call ? app.call.remote : '?', text);
  if (typeof data !== 'string') return;
  if (data.startsWith('pong') && app.pings.has(data.slice(4))) {
    app.dcEchoMs = Math.round((performance.now() - app.pings.get(data.slice(4))) * 10) / 10;
    app.pings.delete(data.slice(4));
    refreshStats();
  } else if (data.startsWith('ping')) {
    // a round-trip check: "ping..." is answered with "pong..." on the same channel
    const reply = 'pong' + data.slice(4);
    ch.send(reply);
    addChat(app.me, reply);
  }
}

// The CLI's protocol on data channel "ping" (simplecall peer): "ping SEQ NANOS" -> "pong SEQ NANOS";
// "report FRAMES AUDIO" (what the other side received) -> our own report, once.
const PING_LABEL = 'ping';

function onPingText(ch, data) {
  if (typeof data !== 'string') return;
  const parts = data.trim().split(' ');
  if (parts[0] === 'ping' && parts.length >= 3) {
    ch.send('pong ' + parts[1] + ' ' + parts[2]);
    app.pingsAnswered++;
  } else if (parts[0] === 'report' && parts.length >= 3) {
    app.remoteReport = {frames: +parts[1], audioPackets: +parts[2]};
    log(ch.label + ': the other side received ' + parts[1] + ' frames, ' + parts[2] + ' audio packets');
    if (app.call && !app.reportSent) {
      app.reportSent = true;
      collectCallStats(app.call.pc, null)
        .then(s => ch.send('report ' + s.framesDecoded + ' ' + s.audioPacketsReceived))
        .catch(e => log('report failed: ' + e));
    }
  }
}

function addChat(who, text) {
  const entry = {from: who, text, at: Date.now()};
  app.chat.push(entry);
  if (who !== app.me) app.lastChat = text;
  const li = document.createElement('li');
  li.textContent = who + ': ' + text;
  $('chat-log').append(li);
  li.scrollIntoView({block: 'nearest'});
}

function sendChat(text) {
  if (app.group) {
    if (!text || app.group.sendToAll(text) === 0) return false;
    addChat(app.me, text);
    return true;
  }
  const ch = app.call && app.call.openChannel(c => c.label !== PING_LABEL);
  if (!ch || !text) return false;
  ch.send(text);
  if (text.startsWith('ping')) app.pings.set(text.slice(4), performance.now());
  addChat(app.me, text);
  return true;
}

// ---- stats

async function refreshStats() {
  const call = app.call;
  if (!call) return null;
  const s = await collectCallStats(call.pc, app.stats);
  if (app.call !== call) return s;
  s.state = call.state;
  s.connectMs = call.connectedMs;
  s.firstFrameMs = app.firstFrameMs;
  s.dcEchoMs = app.dcEchoMs;
  app.stats = s;
  $('st-state').textContent = call.state + (call.polite ? ' (polite)' : ' (impolite)');
  $('st-fps').textContent = s.fps.toFixed(1);
  $('st-res').textContent = s.width ? s.width + 'x' + s.height + (s.videoCodec ? ' ' + s.videoCodec : '') : '-';
  $('st-bitrate').textContent = s.hasRates ? kbps(s.bitrateInBps) + ' / ' + kbps(s.bitrateOutBps) : '-';
  $('st-rtt').textContent = s.rttMs === null ? '-' : s.rttMs.toFixed(1) + ' ms';
  $('st-cand').textContent = s.localCandidateType
    ? s.localCandidateType + ' ' + s.candidateProtocol + ' ' + s.localAddress + ' → ' + s.remoteCandidateType + ' ' + s.remoteAddress
    : '-';
  $('st-times').textContent = ms(s.connectMs) + ' / ' + ms(s.firstFrameMs) + ' / ' + (s.dcEchoMs === null ? '-' : s.dcEchoMs + ' ms');
  $('st-frames').textContent = s.framesDecoded + ' / ' + s.audioPacketsReceived;
  return s;
}

function ms(value) {
  return value >= 0 ? value + ' ms' : '-';
}

function kbps(bps) {
  return (bps / 1000).toFixed(0) + ' kbit/s';
}

// ---- the page

$('join-form').addEventListener('submit', ev => {
  ev.preventDefault();
  join($('room').value.trim(), $('name').value.trim(), $('transport').value);
});
$('leave').onclick = leave;
$('call').onclick = () => { try { callPeer($('peer').value); } catch (e) { log(e.message); } };
$('hangup').onclick = hangUp;
$('mute').onclick = () => setTrackEnabled('audio', !trackEnabled('audio'));
$('camera').onclick = () => setTrackEnabled('video', !trackEnabled('video'));
$('accept').onclick = acceptIncoming;
$('decline').onclick = declineIncoming;
$('chat-form').addEventListener('submit', ev => {
  ev.preventDefault();
  if (sendChat($('chat-input').value)) $('chat-input').value = '';
});
addEventListener('pagehide', () => { if (app.group) app.group.leave(); if (app.call) hangUp(); if (app.sig) app.sig.close(); });

$('room').value = params.get('room') || $('room').value;
$('name').value = params.get('id') || 'web-' + SimplecallSignaling.newId().slice(0, 6);
if (['auto', 'ws', 'poll'].includes(params.get('transport'))) $('transport').value = params.get('transport');
$('auto-answer').checked = params.get('autoanswer') === '1';
app.callTarget = params.get('call');
if (app.callTarget) $('peer').value = app.callTarget;
if (params.get('autostart') === '1') askToStart();

/** The link asked to start: say what that means (id, room, who gets called, auto-answer) and wait for a click. */
function askToStart() {
  const room = $('room').value.trim(), me = $('name').value.trim();
  $('start-text').textContent = 'This link asks to join room ' + room + ' as ' + me + ', turn on your camera and microphone'
      + (app.callTarget ? ' and call ' + app.callTarget : '')
      + ($('auto-answer').checked ? ', answering calls automatically' : '') + '. Start?';
  $('start-prompt').hidden = false;
  $('start-yes').focus();
}

$('start-yes').onclick = () => {
  $('start-prompt').hidden = true;
  join($('room').value.trim(), $('name').value.trim(), $('transport').value);
};
$('start-no').onclick = () => {
  $('start-prompt').hidden = true;
  app.callTarget = null;
  log('not started: press Join when you want to');
};

/** Test and console hook. Promise-returning members can be awaited from Selenium's executeScript. */
window.simplecall = {
  get state() { return app.state; },
  get endReason() { return app.endReason; },
  get endDetail() { return app.endDetail; },
  get lastChat() { return app.lastChat; },
  get chat() { return app.chat.map(e => Object.assign({}, e)); },
  get me() { return app.me; },
  get peers() { return [...app.peers].sort(); },
  get remotePeer() { return app.call ? app.call.remote : null; },
  get polite() { return app.call ? app.call.polite : null; },
  get signaling() { return app.sig ? app.sig.state : 'offline'; },
  get transport() { return app.sig ? app.sig.transport : null; },
  get pcCount() { return app.pcCount; },
  /** CLI ping protocol on channel "ping": pings answered, and the other side's report {frames, audioPackets}. */
  get pingsAnswered() { return app.pingsAnswered; },
  get remoteReport() { return app.remoteReport; },
  /** Offer collisions in the current (or last) call: offers ignored (impolite) and rolled back (polite). */
  get glare() { return Object.assign({}, app.glare); },
  get hasLocalMedia() { return !!app.localStream; },
  /** Group mode: the members now in the room and their connection states. */
  get groupMembers() { return app.group ? [...app.group.members.values()].map(m => ({id: m.id, state: m.state})) : []; },
  /** Group mode: per member ever seen, what flowed: {frames, audioPackets, hello, ack, connected}. */
  get groupSeen() { return app.group ? Object.fromEntries([...app.group.seen].map(([k, v]) => [k, Object.assign({}, v)])) : {}; },
  get activeSpeaker() { return app.group ? app.group.speaker || null : null; },
  /** The question an autostart link shows while unanswered, else null. */
  get startPrompt() { return $('start-prompt').hidden ? null : $('start-text').textContent; },
  get autoAnswer() { return $('auto-answer').checked; },
  stats: () => refreshStats().then(s => s || app.stats),
  framesDecoded: () => (app.call ? collectCallStats(app.call.pc, null).then(s => s.framesDecoded) : Promise.resolve(0)),
  transceivers: () => (app.call ? app.call.pc.getTransceivers().map(t => ({
    mid: t.mid, kind: t.receiver.track.kind, direction: t.direction, currentDirection: t.currentDirection})) : []),
  channels: () => (app.call ? app.call.channels.map(c => ({label: c.label, state: c.readyState})) : []),
  /** The ICE username fragment of the local description; it changes with every ICE restart. */
  iceUfrag: () => {
    const sdp = app.call && app.call.pc.localDescription ? app.call.pc.localDescription.sdp : '';
    const m = /a=ice-ufrag:(\S+)/.exec(sdp);
    return m ? m[1] : null;
  },
  restartIce: () => { if (app.call) app.call.restartIce('asked by the page', true); },
  /** The peer calling while auto-answer is off, or null. */
  get incoming() { return app.incoming ? app.incoming.from : null; },
  accept: () => acceptIncoming(),
  decline: () => declineIncoming(),
  call: peer => callPeer(peer),
  hangUp: () => hangUp(),
  setAudioMuted: muted => setTrackEnabled('audio', !muted),
  setVideoEnabled: enabled => setTrackEnabled('video', enabled),
  send: text => sendChat(text),
  join: (room, id, mode) => join(room, id, mode || 'auto'),
  leave: () => leave(),
  /** Draws the remote video into a canvas: size, mean brightness, spread and a checksum of the pixels. */
  remoteVideoSample: () => {
    const video = $('remote');
    const w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) return null;
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    ctx.drawImage(video, 0, 0, w, h);
    const px = ctx.getImageData(0, 0, w, h).data;
    let sum = 0, sumSq = 0, hash = 0;
    for (let i = 0; i < px.length; i += 4) {
      const y = (px[i] * 299 + px[i + 1] * 587 + px[i + 2] * 114) / 1000;
      sum += y;
      sumSq += y * y;
      hash = (hash * 31 + px[i] + (px[i + 1] << 8) + (px[i + 2] << 16)) | 0;
    }
    const n = px.length / 4;
    const mean = sum / n;
    return {width: w, height: h, mean, stddev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), hash};
  },
};
