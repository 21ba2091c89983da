/** G.711 (ITU-T): 8-bit A-law and u-law samples to and from 16-bit linear PCM. */

export function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  // in A-law the sign bit set means positive
  return a & 0x80 ? magnitude : -magnitude;
}

export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}

const ULAW_BIAS = 0x84;
const CLIP = 32635;

/** The segment (exponent) of a magnitude: the position of its highest bit above bit 7 (u-law) or 8 (A-law). */
const segment = (value: number, base: number) => {
  let exponent = 7;
  for (let mask = 0x4000; (value & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  return Math.max(0, exponent - base);
};

export function linearToUlaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(sample), CLIP) + ULAW_BIAS;
  const exponent = segment(magnitude, 0);
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function linearToAlaw(sample: number): number {
  const sign = sample >= 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(sample), 32767);
  let byte: number;
  if (magnitude < 256) byte = magnitude >> 4;
  else {
    let exponent = 1;
    while (magnitude >> (exponent + 8) && exponent < 7) exponent++;
    byte = (exponent << 4) | ((magnitude >> (exponent + 3)) & 0x0f);
  }
  return (byte | sign) ^ 0x55;
}
