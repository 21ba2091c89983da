import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { silentSide } from './media-watch.js';

/** An rtpengine `query` answer (10.5's shape) with one side per tag: its media flags and its streams' last packet times. */
const query = (sides: Record<string, { flags: string[]; last: number[] }>) => ({
  result: 'ok',
  tags: Object.fromEntries(Object.entries(sides).map(([tag, s]) => [tag, { tag, medias: [{ flags: s.flags, streams: s.last.map((t) => ({ 'last packet': t })) }] }])),
});

describe('media watch: which side of a call went silent', () => {
  const sendrecv = ['initialized', 'send', 'recv'];
  it('finds the one side silent for the timeout, even while the other still talks', () => {
    const q = query({ carrier: { flags: sendrecv, last: [1000, 990] }, agent: { flags: sendrecv, last: [960, 950] } });
    assert.equal(silentSide(q, 900, 1000, 60), null, 'both heard within 60 s');
    assert.equal(silentSide(q, 900, 1020, 60), 'agent');
  });

  it('counts from the answer, not from the offer, and leaves a side on hold alone', () => {
    const ringing = query({ carrier: { flags: sendrecv, last: [100] }, agent: { flags: sendrecv, last: [100] } });
    assert.equal(silentSide(ringing, 150, 200, 60), null, 'answered 50 s ago: not silent yet');
    assert.equal(silentSide(ringing, 150, 210, 60), 'carrier');
    const held = query({ carrier: { flags: ['initialized', 'send'], last: [100] }, agent: { flags: sendrecv, last: [1000] } });
    assert.equal(silentSide(held, 100, 1000, 60), null, 'a side whose SDP said sendonly/inactive owes no media');
  });
});
