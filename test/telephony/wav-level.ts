/** Loudness of each channel of a 16-bit PCM WAV, as RMS on the 0..32768 scale. */
export function channelLevels(wav: Buffer): { channels: number; sampleRate: number; seconds: number; rms: number[] } {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  let data: Buffer | null = null;
  for (let off = 12; off + 8 <= wav.length; ) {
    const id = wav.toString('ascii', off, off + 4);
    const size = wav.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      channels = wav.readUInt16LE(off + 10);
      sampleRate = wav.readUInt32LE(off + 12);
      bits = wav.readUInt16LE(off + 22);
    } else if (id === 'data') {
      data = wav.subarray(off + 8, Math.min(wav.length, off + 8 + size));
      break;
    }
    off += 8 + size + (size & 1);
  }
  if (!data || bits !== 16 || !channels) throw new Error(`unexpected WAV layout (${channels} channels, ${bits} bits)`);
  const frames = Math.floor(data.length / (2 * channels));
  const sums = new Array<number>(channels).fill(0);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++) {
      const s = data.readInt16LE((f * channels + c) * 2);
      sums[c]! += s * s;
    }
  }
  return { channels, sampleRate, seconds: frames / sampleRate, rms: sums.map((s) => Math.sqrt(s / Math.max(frames, 1))) };
}
