/**
 * A real Kamailio answering JSON-RPC over HTTP (jsonrpcs + xhttp, with the dialog module) on a
 * free port, for tests of the API's call control. It routes no SIP: the full configuration and
 * the end-to-end SIP tests belong to the telephony runtime.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../platform/net.js';

export interface KamailioRpcPeer {
  port: number;
  stop(): Promise<void>;
}

const config = (port: number) => `#!KAMAILIO
debug=1
log_stderror=yes
children=1
tcp_children=1
auto_aliases=no
listen=tcp:127.0.0.1:${port}
tcp_accept_no_cl=yes
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "xhttp.so"
loadmodule "jsonrpcs.so"
loadmodule "dialog.so"
modparam("jsonrpcs", "transport", 1)
request_route { exit; }
event_route[xhttp:request] {
  if ($hu =~ "^/RPC") { jsonrpc_dispatch(); exit; }
  xhttp_reply("404", "Not Found", "", "");
}
`;

export async function startKamailioRpc(bin = '/usr/sbin/kamailio'): Promise<KamailioRpcPeer> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-kamailio-'));
  const port = await freePort();
  await writeFile(join(dir, 'kamailio.cfg'), config(port));
  const child = spawn(bin, ['-f', join(dir, 'kamailio.cfg'), '-DD', '-E', '-m', '64', '-M', '8', '-Y', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => void (log += d));
  const exited = once(child, 'exit');
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`kamailio exited: ${log}`);
    const up = await fetch(`http://127.0.0.1:${port}/RPC`, { method: 'POST', body: '{"jsonrpc":"2.0","method":"core.version","id":1}' }).then(() => true, () => false);
    if (up) break;
    if (i > 100) throw new Error(`kamailio did not answer: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
