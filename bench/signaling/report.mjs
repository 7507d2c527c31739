// Turns the JSON results of one compare.sh run (a directory of NAME-KIND.json files) into a Markdown
// table: PeerJS and simplecall side by side per point, with simplecall's ratio where a goal is a ratio.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const results = {};
for (const file of readdirSync(dir).filter(f => f.endsWith('.json'))) {
  const text = readFileSync(join(dir, file), 'utf8').trim().split('\n').pop();
  if (!text) continue;
  const r = JSON.parse(text);
  const name = file.replace(/-(peerjs|simplecall)\.json$/, '');
  (results[name] ||= {})[r.kind] = r;
}

const fmt = (x, d = 1) => (x === undefined || Number.isNaN(x) ? '–' : Number(x).toFixed(d));
const ratio = (s, p) => (s && p ? (s / p).toFixed(2) : '–');
const lines = [];
lines.push('| point | CPU µs/msg PeerJS / simplecall (ratio) | msgs/s PeerJS / simplecall | p99 ms PeerJS / simplecall | max ms | connect s | server RSS MB connected | lost / misordered |');
lines.push('|---|---|---|---|---|---|---|---|');
for (const [name, r] of Object.entries(results).sort()) {
  const p = r.peerjs || {};
  const s = r.simplecall || {};
  if (p.throughput === undefined && s.throughput === undefined) continue;
  lines.push(`| ${name} (${s.clients ?? p.clients} clients) | ${fmt(p.cpuUsPerMsg)} / ${fmt(s.cpuUsPerMsg)} (${ratio(s.cpuUsPerMsg, p.cpuUsPerMsg)}) `
    + `| ${p.throughput ?? '–'} / ${s.throughput ?? '–'} (${ratio(s.throughput, p.throughput)}) | ${fmt(p.p99Ms, 2)} / ${fmt(s.p99Ms, 2)} `
    + `| ${fmt(p.maxMs, 0)} / ${fmt(s.maxMs, 0)} | ${fmt(p.connectSeconds, 2)} / ${fmt(s.connectSeconds, 2)} `
    + `| ${fmt(p.rssConnectedMb, 0)} / ${fmt(s.rssConnectedMb, 0)} | ${p.lost ?? '–'}+${p.outOfOrder ?? '–'} / ${s.lost ?? '–'}+${s.outOfOrder ?? '–'} |`);
}
const idle = Object.entries(results).filter(([, r]) => Object.values(r).some(x => x.throughput === undefined));
if (idle.length) {
  lines.push('');
  lines.push('| idle point | clients | connect s PeerJS / simplecall | empty server RSS MB | RSS per session KB |');
  lines.push('|---|---|---|---|---|');
  for (const [name, r] of idle) {
    const p = r.peerjs || {};
    const s = r.simplecall || {};
    lines.push(`| ${name} | ${s.clients ?? p.clients} | ${fmt(p.connectSeconds, 2)} / ${fmt(s.connectSeconds, 2)} `
      + `| ${fmt(p.rssEmptyMb, 0)} / ${fmt(s.rssEmptyMb, 0)} | ${fmt(p.rssPerSessionKb, 1)} / ${fmt(s.rssPerSessionKb, 1)} |`);
  }
}
console.log(lines.join('\n'));
