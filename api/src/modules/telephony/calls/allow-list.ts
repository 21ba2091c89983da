import { BlockList, isIP } from 'node:net';

/** "203.0.113.5", "203.0.113.0/24", "2001:db8::/32" -> the canonical entry, or null when it is none of those. */
export function parseSource(entry: string): string | null {
  const [address, bits, extra] = entry.trim().split('/');
  if (extra !== undefined || !address) return null;
  const family = isIP(address);
  if (!family) return null;
  if (bits === undefined) return address.toLowerCase();
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > (family === 4 ? 32 : 128)) return null;
  return `${address.toLowerCase()}/${Number(bits)}`;
}

/** Whether `ip` (as Kamailio saw the packet's source) is one of the entries. */
export function sourceAllowed(entries: readonly string[], ip: string): boolean {
  const family = isIP(ip);
  if (!family) return false;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const type = isIP(address!) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address!, type);
    else list.addSubnet(address!, Number(bits), type);
  }
  return list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}
