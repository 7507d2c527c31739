// Load generator for a signaling server: simplecall (envelope v1 over /v1/ws) or PeerJS 1.0.2 (its own
// protocol over /peerjs). Connects N clients in pairs, relays messages between the two of each pair,
// verifies every message (sender, order, content), and measures the server's CPU per relayed message
// (from /proc/PID/stat), relay latency (sender and receiver are in this process: one clock), connect
// time and the server's RSS.
//
//   node loadgen.mjs --kind simplecall|peerjs --port P --pid SERVER_PID --clients 2000
//                    [--rate 10000 | --rate 0 (closed loop)] [--size 300] [--seconds 10] [--warmup 3]
//                    [--idle] (connect, measure RSS per session, disconnect)
//                    [--no-keepalive] (no 5 s keepalive: a WebSocket ping for simplecall as its SDK
//                    sends, a HEARTBEAT message for PeerJS as its client sends)
//
// Prints one JSON object (the result) as its last line; everything before it is progress on stderr.

import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const args = parseArgs(process.argv.slice(2));
const kind = args.kind;
const host = args.host || '127.0.0.1';
const port = Number(args.port);
const pid = Number(args.pid);
const clients = Number(args.clients || 2000);
const rate = Number(args.rate ?? 10000);
const size = Number(args.size || 300);
const seconds = Number(args.seconds || 10);
const warmup = Number(args.warmup || 3);
const concurrency = Number(args.concurrency || 200);
const idle = args.idle === true;
const keepalive = args['no-keepalive'] !== true;
if (!['simplecall', 'peerjs'].includes(kind) || !port || !pid || clients % 2 !== 0) {
  console.error('usage: node loadgen.mjs --kind simplecall|peerjs --port P --pid PID --clients EVEN [--rate R] [--size B] [--seconds S] [--warmup S] [--idle]');
  process.exit(2);
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error('unexpected argument ' + a);
    const key = a.slice(2);
    if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[key] = argv[++i];
    else out[key] = true;
  }
  return out;
}

const log = (...m) => console.error(new Date().toISOString().slice(11, 23), ...m);

// ---- the server process: CPU seconds and RSS
const TICKS = 100;   // USER_HZ on Linux
/** The server's CPU seconds so far: [user, system]. */
function serverCpuSeconds() {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15
  return [Number(fields[11]) / TICKS, Number(fields[12]) / TICKS];
}

/** Context switches of all the server's threads so far. */
function serverContextSwitches() {
  let n = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
      for (const m of status.matchAll(/_ctxt_switches:\s+(\d+)/g)) n += Number(m[1]);
    } catch (e) {
      // the thread ended meanwhile
    }
  }
  return n;
}
function serverRssKb() {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]);
}

// ---- the two protocols
const pad = 'x'.repeat(size);
const protocol = kind === 'simplecall' ? {
  url: id => `ws://${host}:${port}/v1/ws`,
  // the SDK's WebSocket transport pings every 5 s (OkHttp's ping interval)
  keepalive: ws => ws.ping(),
  hello: (ws, c) => ws.send(JSON.stringify({ v: 1, type: 'join', id: 'j', room: 'b' + (c.index >> 1), from: c.id })),
  isReady: m => m.type === 'welcome',
  encode: (c, seq, body) =>
    `{"v":1,"type":"candidate","id":"m${seq}","to":"${c.partner}","candidate":{"sdpMid":"0","sdpMLineIndex":0,"candidate":"${body}"}}`,
  decode: m => m.type === 'candidate' ? { from: m.from, body: m.candidate.candidate } : m.type === 'peer-joined' ? false : null,
} : {
  url: id => `ws://${host}:${port}/peerjs?key=peerjs&id=${id}&token=t${id}`,
  // the peerjs client sends a HEARTBEAT message every 5 s (its pingInterval)
  keepalive: ws => ws.send('{"type":"HEARTBEAT"}'),
  hello: () => {},
  isReady: m => m.type === 'OPEN',
  encode: (c, seq, body) =>
    `{"type":"CANDIDATE","dst":"${c.partner}","payload":{"sdpMid":"0","sdpMLineIndex":0,"candidate":"${body}"}}`,
  decode: m => m.type === 'CANDIDATE' ? { from: m.src, body: m.payload.candidate } : null,
};

// ---- counters
const stats = {
  sent: 0, received: 0, wrongSender: 0, outOfOrder: 0, badContent: 0, unexpected: 0, errors: 0, closed: 0,
};
let measuring = false;
let windowReceived = 0;
let latencies = [];
let onDeliver = null;   // closed loop: answer each message with the next one

function connectOne(index) {
  return new Promise((resolve, reject) => {
    const c = {
      index, id: 'p' + index, partner: 'p' + (index ^ 1), ws: null,
      nextSeq: 1, expectSeq: 1, ready: false,
    };
    const ws = new WebSocket(protocol.url(c.id), { perMessageDeflate: false });
    c.ws = ws;
    const timer = setTimeout(() => reject(new Error(c.id + ': not ready in 30 s')), 30000);
    ws.on('open', () => protocol.hello(ws, c));
    ws.on('error', e => { stats.errors++; if (!c.ready) { clearTimeout(timer); reject(e); } });
    ws.on('close', () => { if (c.ready) stats.closed++; });
    ws.on('message', data => {
      const m = JSON.parse(data.toString());
      if (!c.ready) {
        if (protocol.isReady(m)) {
          c.ready = true;
          // each client keeps its connection alive as the real client library does, every 5 s
          if (keepalive) c.keepalive = setInterval(() => protocol.keepalive(ws), 5000);
          clearTimeout(timer);
          resolve(c);
        }
        return;
      }
      const d = protocol.decode(m);
      if (d === false) return;   // presence (peer-joined): not relayed load
      if (!d) { stats.unexpected++; return; }
      receive(c, d);
    });
  });
}

function receive(c, d) {
  const now = performance.now();
  if (d.from !== c.partner) { stats.wrongSender++; return; }
  // body: "seq:sentAt:n:" and n times 'x'
  const [seqText, atText, nText] = d.body.split(':', 3);
  const seq = Number(seqText);
  const at = Number(atText);
  const n = Number(nText);
  if (seq !== c.expectSeq) stats.outOfOrder++;
  c.expectSeq = seq + 1;
  const padding = d.body.slice(seqText.length + atText.length + nText.length + 3);
  if (padding.length !== n || padding !== pad.slice(0, n)) stats.badContent++;
  stats.received++;
  if (measuring) {
    windowReceived++;
    latencies.push(now - at);
  }
  if (onDeliver) onDeliver(c);
}

/** Sends the next message of c to its partner: about size bytes on the wire in all. */
function send(c) {
  const seq = c.nextSeq++;
  const head = `${seq}:${performance.now().toFixed(3)}:`;
  const frame = protocol.encode(c, seq, head);
  const n = Math.max(0, size - frame.length - 4);
  c.ws.send(protocol.encode(c, seq, head + n + ':' + pad.slice(0, n)));
  stats.sent++;
}

async function connectAll() {
  const all = new Array(clients);
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < clients) {
      const i = next++;
      all[i] = await connectOne(i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, clients) }, worker));
  return { all, connectSeconds: (performance.now() - started) / 1000 };
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function main() {
  const rssEmptyKb = serverRssKb();
  log(`${kind}: connecting ${clients} clients`);
  const { all, connectSeconds } = await connectAll();
  log(`${kind}: ${clients} clients ready in ${connectSeconds.toFixed(2)} s`);
  await sleep(1000);
  const rssConnectedKb = serverRssKb();
  const result = {
    kind, clients, rate: idle ? null : rate, size, seconds: idle ? null : seconds, connectSeconds: round(connectSeconds, 2),
    rssEmptyMb: round(rssEmptyKb / 1024, 1), rssConnectedMb: round(rssConnectedKb / 1024, 1),
    rssPerSessionKb: round((rssConnectedKb - rssEmptyKb) / clients, 2),
  };
  if (!idle) {
    let stop = false;
    if (rate > 0) {
      // paced: rate messages per second in all, from the clients in turn, on a 5 ms tick
      let cursor = 0;
      const t0 = performance.now();
      const tick = () => {
        if (stop) return;
        const due = Math.floor((performance.now() - t0) / 1000 * rate) - stats.sent;
        for (let i = 0; i < due; i++) {
          send(all[cursor]);
          cursor = (cursor + 1) % clients;
        }
        setTimeout(tick, 5);
      };
      tick();
    } else {
      // closed loop: each client answers every message from its partner with its next one
      onDeliver = c => { if (!stop) send(c); };
      for (const c of all) send(c);
    }
    await sleep(warmup * 1000);
    const cpu0 = serverCpuSeconds();
    const switches0 = serverContextSwitches();
    const t0 = performance.now();
    measuring = true;
    await sleep(seconds * 1000);
    measuring = false;
    const cpu1 = serverCpuSeconds();
    const switches1 = serverContextSwitches();
    const window = (performance.now() - t0) / 1000;
    stop = true;
    await sleep(2000);   // drain: everything sent must have arrived
    latencies.sort((a, b) => a - b);
    Object.assign(result, {
      throughput: Math.round(windowReceived / window),
      cpuUsPerMsg: round((cpu1[0] + cpu1[1] - cpu0[0] - cpu0[1]) * 1e6 / windowReceived, 1),
      systemUsPerMsg: round((cpu1[1] - cpu0[1]) * 1e6 / windowReceived, 1),
      serverCpuPercent: round((cpu1[0] + cpu1[1] - cpu0[0] - cpu0[1]) / window * 100, 1),
      switchesPerMsg: round((switches1 - switches0) / windowReceived, 2),
      p50Ms: round(percentile(latencies, 0.5), 2),
      p99Ms: round(percentile(latencies, 0.99), 2),
      maxMs: round(latencies[latencies.length - 1], 2),
      rssLoadedMb: round(serverRssKb() / 1024, 1),
      sent: stats.sent, received: stats.received, lost: stats.sent - stats.received,
      outOfOrder: stats.outOfOrder, wrongSender: stats.wrongSender, badContent: stats.badContent,
      unexpected: stats.unexpected, socketErrors: stats.errors, socketsClosed: stats.closed,
    });
  }
  for (const c of all) {
    clearInterval(c.keepalive);
    c.ws.terminate();
  }
  console.log(JSON.stringify(result));
}

function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

main().then(() => process.exit(0), e => { console.error(e); process.exit(1); });
