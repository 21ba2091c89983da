import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../../platform/config.js';
import { monoWav } from '../recordings/wav.js';

const RATE = 8000;
/** Beats per minute of the default music on hold, and its chord progression (I-vi-IV-V in C, as MIDI notes). */
const BPM = 84;
const CHORDS = [[60, 64, 67, 72], [57, 60, 64, 69], [53, 57, 60, 65], [55, 59, 62, 67]];

const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

/**
 * The platform's default music on hold, made here rather than downloaded: a gentle arpeggio over
 * the chords C, Am, F, G (two bars each, eighth notes), each note a soft sine with a quick attack
 * and an exponential decay over a quiet sustained root an octave down. About 11 s that loop
 * seamlessly (the last chord leads back to the first), 8 kHz 16-bit mono: what rtpengine plays
 * as G.711 without resampling surprises. Peak about -6 dBFS.
 */
export function holdMusic(): Int16Array {
  const eighth = 60 / BPM / 2;
  const perChord = 8; // eighth notes per chord
  const total = Math.round(CHORDS.length * perChord * eighth * RATE);
  const out = new Float32Array(total);
  CHORDS.forEach((chord, c) => {
    const chordStart = c * perChord * eighth;
    // the pad: the chord's root an octave down, held across the chord with soft edges
    const root = hz(chord[0]! - 12);
    const padLength = perChord * eighth;
    for (let i = 0; i < padLength * RATE; i++) {
      const t = i / RATE;
      const edge = Math.min(1, t / 0.08, (padLength - t) / 0.08);
      out[Math.round(chordStart * RATE) + i]! += 0.12 * edge * Math.sin(2 * Math.PI * root * t);
    }
    // the arpeggio: up and down the chord
    const pattern = [0, 1, 2, 3, 2, 1, 2, 1];
    pattern.forEach((step, n) => {
      const f = hz(chord[step]!);
      const start = Math.round((chordStart + n * eighth) * RATE);
      const length = Math.round(eighth * 1.6 * RATE);
      for (let i = 0; i < length && start + i < total; i++) {
        const t = i / RATE;
        const envelope = Math.min(1, t / 0.01) * Math.exp(-t * 5);
        // a touch of the second harmonic makes it sound like a soft mallet rather than a test tone
        out[start + i]! += 0.3 * envelope * (Math.sin(2 * Math.PI * f * t) + 0.2 * Math.sin(4 * Math.PI * f * t));
      }
    });
  });
  const peak = out.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
  return Int16Array.from(out, (v) => Math.round((v / peak) * 0.5 * 32767));
}

export const holdMusicPath = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'telephony', 'hold-music.wav');

/** Writes the default music on hold under the data folder once (rtpengine reads it by path); answers its path. */
export async function ensureHoldMusic(config: Pick<Config, 'dataDir'>): Promise<string> {
  const path = holdMusicPath(config);
  if (await stat(path).then((s) => s.size > 44, () => false)) return path;
  await mkdir(join(config.dataDir, 'telephony'), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, monoWav(holdMusic(), RATE));
  await rename(partial, path);
  return path;
}
