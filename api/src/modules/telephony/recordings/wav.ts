/** A 16-bit PCM WAV file of two channels (left, right) at `rate` samples per second. */
export function stereoWav(left: Int16Array, right: Int16Array, rate = 8000): Buffer {
  const frames = Math.max(left.length, right.length);
  const data = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    data.writeInt16LE(left[i] ?? 0, i * 4);
    data.writeInt16LE(right[i] ?? 0, i * 4 + 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** The two channels of a WAV made by `stereoWav` (for checks and tests). */
export function readStereoWav(file: Buffer): { rate: number; left: Int16Array; right: Int16Array } {
  if (file.toString('ascii', 0, 4) !== 'RIFF' || file.readUInt16LE(22) !== 2 || file.readUInt16LE(34) !== 16) throw new Error('not a 16-bit stereo WAV');
  const frames = file.readUInt32LE(40) / 4;
  const left = new Int16Array(frames);
  const right = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = file.readInt16LE(44 + i * 4);
    right[i] = file.readInt16LE(46 + i * 4);
  }
  return { rate: file.readUInt32LE(24), left, right };
}

/**
 * `next` played after `first` (both made by `stereoWav`, same rate): a call's legs, one after
 * the other, in one file.
 */
export function appendStereoWav(first: Buffer, next: Buffer): Buffer {
  const a = readStereoWav(first);
  const b = readStereoWav(next);
  if (a.rate !== b.rate) throw new Error(`cannot append a ${b.rate} Hz recording to a ${a.rate} Hz one`);
  const join = (x: Int16Array, y: Int16Array) => {
    const all = new Int16Array(x.length + y.length);
    all.set(x);
    all.set(y, x.length);
    return all;
  };
  return stereoWav(join(a.left, b.left), join(a.right, b.right), a.rate);
}

/** A 16-bit PCM WAV file of one channel at `rate` samples per second. */
export function monoWav(samples: Int16Array, rate = 8000): Buffer {
  const header = stereoWav(new Int16Array(0), new Int16Array(0), rate);
  header.writeUInt32LE(36 + samples.length * 2, 4);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt32LE(samples.length * 2, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
}
