/**
 * A CRM-side script: prints the tenant's licence and every user (page by page), then follows
 * licence changes live until stopped. Run it against your Switchboard:
 *
 *   SWITCHBOARD_URL=http://127.0.0.1:4000/graphql SWITCHBOARD_API_KEY=sbk_... npx node --import tsx examples/crm-directory/directory.ts
 *
 * With `--once` it exits after the listing (the tests run it that way).
 */
import WebSocket from 'ws';
import { createClient, isSwitchboardError } from '@switchboard/sdk';

const url = process.env.SWITCHBOARD_URL ?? 'http://127.0.0.1:4000/graphql';
const apiKey = process.env.SWITCHBOARD_API_KEY;
if (!apiKey) {
  console.error('Set SWITCHBOARD_API_KEY to an API key with the TENANT_READ, USERS_READ and LICENCE_READ scopes.');
  process.exit(2);
}

const client = createClient({ url, apiKey, webSocketImpl: WebSocket });
try {
  const tenant = await client.tenant();
  const licence = await client.licence();
  console.log(`${tenant.name} (${tenant.slug}): ${licence ? `${licence.kind} licence, ${licence.seatsInUse}/${licence.seats} agents signed in` : 'no licence yet'}`);
  let count = 0;
  for await (const user of client.allUsers({ first: 50 })) {
    count++;
    const groups = user.securityGroups.map((g) => g.name).join(', ');
    console.log(`  ${user.role.padEnd(13)} ${user.email}${groups ? `  [${groups}]` : ''}`);
  }
  console.log(`${count} users`);
  if (!process.argv.includes('--once')) {
    console.log('Following licence changes (Ctrl-C to stop)...');
    for await (const change of client.licenceChanges()) {
      console.log(`licence now ${change.kind}, ${change.seats} seats, ${change.channels} channels`);
    }
  }
} catch (err) {
  console.error(isSwitchboardError(err) ? `Switchboard said ${err.code}: ${err.message}` : err);
  process.exitCode = 1;
} finally {
  await client.close();
}
