// Turns the JSON results of one compare.sh run (a directory of NAME-KIND-ROUND.json files) into a
// Markdown table: PeerJS and simplecall side by side per point, each figure the median over the rounds,
// with simplecall's ratio where a goal is a ratio; losses and misordered messages are summed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const rounds = {};
for (const file of readdirSync(dir).filter(f => f.endsWith('.json'))) {
  const text = readFileSync(join(dir, file), 'utf8').trim().split('\n').pop();
  if (!text) continue;
  const r = JSON.parse(text);
  const name = file.replace(/-(peerjs|simplecall)(-\d+)?\.json$/, '');
  ((rounds[name] ||= {})[r.kind] ||= []).push(r);
}
const median = xs => {
  const s = xs.filter(x => typeof x === 'number').sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : undefined;
};
const summed = ['sent', 'received', 'lost', 'outOfOrder', 'wrongSender', 'badContent', 'unexpected'];
const results = {};
for (const [name, kinds] of Object.entries(rounds)) {
  for (const [kind, rs] of Object.entries(kinds)) {
    const m = { kind, rounds: rs.length };
    for (const key of Object.keys(rs[0])) {
      if (summed.includes(key)) m[key] = rs.reduce((a, r) => a + (r[key] ?? 0), 0);
      else if (typeof rs[0][key] === 'number') m[key] = median(rs.map(r => r[key]));
      else m[key] = rs[0][key];
    }
    (results[name] ||= {})[kind] = m;
  }
}

const fmt = (x, d = 1) => (x === undefined || Number.isNaN(x) ? '–' : Number(x).toFixed(d));
const ratio = (s, p) => (s && p ? (s / p).toFixed(2) : '–');
const lines = [];
const roundCounts = [...new Set(Object.values(results).flatMap(r => Object.values(r).map(x => x.rounds)))];
lines.push(`Each figure: the median of ${roundCounts.join(' or ')} round(s) per server and point.`);
lines.push('');
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
