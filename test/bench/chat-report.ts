/**
 * What chat.bench.ts prints: each step as it ends, then "delivered/s at N/s offered" for both
 * targets side by side, each target's saturation point, what became of every message, and the
 * comparison between the API and the relay.
 */
import { ms } from './bench-kit.js';
import type { Outcomes, StepResult, TrafficResult } from './chat-traffic.js';

const rate = (r: number) => (r >= 100 ? r.toFixed(0) : r.toFixed(1));

/** One line for a step, as it ends. */
export const stepLine = (target: string, s: StepResult) =>
  `${target}: ${rate(s.offered)}/s offered -> ${rate(s.deliveredPerSecond)} delivered/s, ${s.inFlightAtEnd} in flight when the step ended, ` +
  `load generator ${(s.generatorBusy * 100).toFixed(0)}% busy: ${s.keptUp ? 'kept up' : 'did NOT keep up'}`;

interface Saturation {
  /** The highest offered rate kept up with before the first step that was not (0: not even the first). */
  keptUpTo: number;
  /** The first step not kept up, if any. */
  saturatedAt?: StepResult;
  peak: number;
}

function saturation(steps: StepResult[]): Saturation {
  const first = steps.findIndex((s) => !s.keptUp);
  const kept = first < 0 ? steps : steps.slice(0, first);
  return { keptUpTo: kept.at(-1)?.offered ?? 0, saturatedAt: first < 0 ? undefined : steps[first], peak: Math.max(0, ...steps.map((s) => s.deliveredPerSecond)) };
}

function saturationLine(target: string, r: TrafficResult, ceiling: string): string {
  const s = saturation(r.steps);
  const last = r.steps.at(-1)!;
  const busy = last.generatorBusy > 0.8 ? `; the load generator was ${(last.generatorBusy * 100).toFixed(0)}% busy in the last step, so it may be the limit, not the target` : '';
  if (!s.saturatedAt) return `${target}: NOT saturated: kept up with every step up to ${rate(last.offered)}/s offered (${ceiling}); peak ${rate(s.peak)} delivered/s${busy}`;
  const at = s.saturatedAt;
  return `${target}: saturation point ${s.keptUpTo ? `${rate(s.keptUpTo)}/s offered (the last step kept up)` : `below ${rate(at.offered)}/s offered (the first step was not kept up)`}; ` +
    `at ${rate(at.offered)}/s offered it delivered ${rate(at.deliveredPerSecond)}/s with ${at.inFlightAtEnd} in flight when the step ended` +
    `${at.turnedAway ? ` and ${at.turnedAway} of the step's messages refused or failed (see below: a limit, not necessarily capacity)` : ''}; peak ${rate(s.peak)} delivered/s${busy}`;
}

const counts = (byKey: Record<string, number>) => Object.entries(byKey).map(([k, v]) => `${k} x${v}`).join(', ');
const total = (byKey: Record<string, number>) => Object.values(byKey).reduce((a, b) => a + b, 0);

export function outcomeLine(target: string, o: Outcomes, drain: number): string {
  const parts = [`${o.delivered} delivered`];
  if (total(o.refused)) parts.push(`${total(o.refused)} refused (${counts(o.refused)})`);
  if (total(o.failed)) parts.push(`${total(o.failed)} failed without an answer (${counts(o.failed)})`);
  const inFlight = o.acceptedNotDelivered + o.unanswered;
  parts.push(inFlight
    ? `${inFlight} still in flight ${drain}s after the last send (${o.acceptedNotDelivered} accepted but not at the agent yet, ${o.unanswered} not answered yet)`
    : 'none still in flight at the end');
  return `${target}: ${o.sent} sent: ${parts.join('; ')}`;
}

/** The whole report of a run: `ceilings` says why each target's steps stopped where they did. */
export function report(results: [string, TrafficResult][], ceilings: string[], drain: number): void {
  const rates = [...new Set(results.flatMap(([, r]) => r.steps.map((s) => s.offered)))].sort((a, b) => a - b);
  const cell = (s: StepResult | undefined) =>
    (s ? [rate(s.deliveredPerSecond), ms(s.latency.p50, 1), ms(s.latency.p99, 1), String(s.inFlightAtEnd), String(s.turnedAway)] : ['-', '-', '-', '-', '-']).map((c) => c.padStart(9)).join('');
  console.log('\ndelivered/s at N/s offered; p50/p99: visitor send -> agent receives (ms) of the step\'s messages; flight: in flight when the step ended; refused: of the step\'s messages, refused or failed; -: step not run');
  console.log(`${'offered/s'.padStart(9)} |${results.map(([name]) => `${name.padStart(9)}${'p50'.padStart(9)}${'p99'.padStart(9)}${'flight'.padStart(9)}${'refused'.padStart(9)}`).join(' |')}`);
  for (const offered of rates) console.log(`${rate(offered).padStart(9)} |${results.map(([, r]) => cell(r.steps.find((s) => s.offered === offered))).join(' |')}`);
  console.log('');
  results.forEach(([name, r], i) => console.log(saturationLine(name, r, ceilings[i])));
  for (const [name, r] of results) console.log(outcomeLine(name, r.outcomes, drain));
  for (const [name, r] of results) for (const p of r.problems) console.log(`${name}: ${p}`);

  const [[sbName, sb], [baseName, base]] = results;
  const common = rates.filter((o) => sb.steps.some((s) => s.offered === o) && base.steps.some((s) => s.offered === o)).at(-1);
  if (common !== undefined) {
    const at = (r: TrafficResult) => rate(r.steps.find((s) => s.offered === common)!.deliveredPerSecond);
    console.log(`\nat ${rate(common)}/s offered (the highest step both ran): ${sbName} delivered ${at(sb)}/s, ${baseName} ${at(base)}/s`);
  }
  const [a, b] = [saturation(sb.steps), saturation(base.steps)];
  const ratio = b.peak > 0 ? (a.peak / b.peak).toFixed(2) : 'n/a';
  const capacity =
    a.saturatedAt && b.saturatedAt ? `${ratio} (both saturated)`
    : a.saturatedAt ? `at most ${ratio} (${baseName} did not saturate, its capacity is higher than its peak)`
    : b.saturatedAt ? `at least ${ratio} (${sbName} did not saturate)`
    : `unknown: neither saturated (peaks ${rate(a.peak)}/s and ${rate(b.peak)}/s only show the offered rates)`;
  console.log(`capacity, ${sbName} / ${baseName} (peak delivered/s): ${capacity}`);
}
