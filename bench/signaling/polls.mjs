// Held long-polls on the simplecall server: joins N long-poll sessions (two per room), keeps one poll
// held on each (waitMs 25 s, polled again as soon as one returns), then measures the server's RSS per
// session and its CPU while it only holds them.
//
//   node polls.mjs --port P --pid SERVER_PID --sessions 10000 [--seconds 10] [--concurrency 100]
//
// Prints one JSON object (the result) as its last line; progress goes to stderr.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].slice(2)] = process.argv[i + 1];
const port = Number(args.port);
const pid = Number(args.pid);
const sessions = Number(args.sessions || 10000);
const seconds = Number(args.seconds || 10);
const concurrency = Number(args.concurrency || 100);
if (!port || !pid) {
  console.error('usage: node polls.mjs --port P --pid PID --sessions N [--seconds S] [--concurrency C]');
  process.exit(2);
}
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const log = (...m) => console.error(new Date().toISOString().slice(11, 23), ...m);
const rssKb = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const cpuSeconds = () => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent,
      headers: body ? { 'Content-Type': 'application/json' } : {} }, res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', d => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const stats = { held: 0, returned: 0, errors: 0, badStatus: 0 };
let stopping = false;

/** Keeps one poll held on the session: polls again whenever the last one returns. */
async function hold(s) {
  while (!stopping) {
    stats.held++;
    try {
      const r = await request('GET', `/v1/poll/sessions/${s.id}/messages?after=${s.cursor}&waitMs=25000`);
      if (r.status !== 200) { stats.badStatus++; stats.lastBad = r.status + " " + r.text.slice(0, 200); return; }
      s.cursor = JSON.parse(r.text).cursor;
    } catch (e) {
      stats.errors++;
      return;
    } finally {
      stats.held--;
    }
    stats.returned++;
  }
}

async function main() {
  const rssEmpty = rssKb();
  const all = [];
  let next = 0;
  const t0 = performance.now();
  async function joiner() {
    while (next < sessions) {
      const i = next++;
      const r = await request('POST', '/v1/poll/sessions',
        JSON.stringify({ v: 1, type: 'join', id: 'j', room: 'q' + (i >> 1), from: 'p' + i }));
      if (r.status !== 201) throw new Error(`join ${i}: HTTP ${r.status} ${r.text}`);
      const body = JSON.parse(r.text);
      all.push({ id: body.session, cursor: body.cursor });
    }
  }
  await Promise.all(Array.from({ length: concurrency }, joiner));
  const joinSeconds = (performance.now() - t0) / 1000;
  log(`${sessions} sessions joined in ${joinSeconds.toFixed(2)} s; holding a poll on each`);
  for (const s of all) hold(s);
  await new Promise(r => setTimeout(r, 3000));
  const cpu0 = cpuSeconds();
  const held0 = stats.held;
  const returned0 = stats.returned;
  await new Promise(r => setTimeout(r, seconds * 1000));
  const cpu1 = cpuSeconds();
  const result = {
    sessions, joinSeconds: Math.round(joinSeconds * 100) / 100, heldPolls: Math.min(held0, stats.held),
    rssEmptyMb: Math.round(rssEmpty / 102.4) / 10, rssHoldingMb: Math.round(rssKb() / 102.4) / 10,
    rssPerSessionKb: Math.round((rssKb() - rssEmpty) / sessions * 100) / 100,
    serverCpuPercentHolding: Math.round((cpu1 - cpu0) / seconds * 1000) / 10,
    pollsReturnedInWindow: stats.returned - returned0, errors: stats.errors, badStatus: stats.badStatus, lastBad: stats.lastBad,
  };
  stopping = true;
  console.log(JSON.stringify(result));
  process.exit(0);
}

main().catch(e => { console.error(e); process.exit(1); });
