/**
 * A CRM-side script: finds the customer behind a phone number or e-mail address, prints every
 * interaction they had (page by page) and their notes, adds a note, then follows their live
 * interactions (new chats, messages, transfers, closes) until stopped. Run it against your
 * Switchboard:
 *
 *   SWITCHBOARD_API_KEY=sbk_... npx node --import tsx examples/crm-contact/contact.ts --phone "+1 514 555 0142" --note "Called about invoice 42"
 *
 * Options: --phone <number> | --email <address> | --webchat <handle> (which customer), --note <text>
 * (add it), --events <n> (stop after n live events; the tests use it), --once (no live events).
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createClient, isSwitchboardError, type IdentifierKind, type InteractionEvent } from '@switchboard/sdk';

const { values: options } = parseArgs({
  options: {
    phone: { type: 'string' },
    email: { type: 'string' },
    webchat: { type: 'string' },
    note: { type: 'string' },
    events: { type: 'string' },
    once: { type: 'boolean', default: false },
  },
});
const url = process.env.SWITCHBOARD_URL ?? 'http://127.0.0.1:4000/graphql';
const apiKey = process.env.SWITCHBOARD_API_KEY;
const lookup: [IdentifierKind, string] | undefined = options.phone
  ? ['PHONE', options.phone]
  : options.email
    ? ['EMAIL', options.email]
    : options.webchat
      ? ['WEBCHAT', options.webchat]
      : undefined;
if (!apiKey || !lookup) {
  console.error('Set SWITCHBOARD_API_KEY (scopes CONTACTS_READ, CONTACTS_MANAGE, INTERACTIONS_READ, EVENTS_SUBSCRIBE)');
  console.error('and name the customer: --phone <number>, --email <address> or --webchat <handle>.');
  process.exit(2);
}

const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '-');
const describe = (e: InteractionEvent) =>
  e.kind === 'MESSAGE' && e.message
    ? `${e.message.sender.toLowerCase()} wrote: ${e.message.body}`
    : `${e.interaction.channel} ${e.interaction.id.slice(-8)} ${e.kind.toLowerCase()}${e.interaction.agent ? ` (${e.interaction.agent.name})` : ''}`;

// Node 22 has a global WebSocket; `ws` keeps the script working on Node 20.
const client = createClient({ url, apiKey, webSocketImpl: WebSocket });
try {
  const contact = await client.contactByIdentifier(...lookup);
  if (!contact) {
    console.log(`No contact has ${lookup[0]} ${lookup[1]}.`);
    process.exitCode = 3;
  } else {
    const ids = contact.identifiers.map((i) => `${i.kind} ${i.value}`).join(', ');
    console.log(`${contact.name ?? '(no name)'} [${ids}]`);

    let count = 0;
    for await (const i of client.contactInteractions(contact.id)) {
      count++;
      const outcome = i.disposition ? ` ${i.disposition.label}` : '';
      console.log(`  ${when(i.createdAt)}  ${i.channel.padEnd(8)} ${i.state.padEnd(9)} ${i.agent?.name ?? '-'}${outcome}`);
    }
    console.log(`${count} interactions`);

    if (options.note) {
      const note = await client.addContactNote(contact.id, options.note);
      console.log(`Added a note at ${when(note.createdAt)}.`);
    }
    for await (const note of client.contactNotes(contact.id)) {
      console.log(`  note ${when(note.createdAt)} by ${note.author?.name ?? note.apiKeyName}: ${note.body}`);
    }

    if (!options.once) {
      const limit = options.events ? Number(options.events) : Infinity;
      console.log('Following live events (Ctrl-C to stop)...');
      let seen = 0;
      // The SDK reconnects by itself and resumes after the last message it delivered.
      for await (const event of client.interactionEvents()) {
        if (event.interaction.contact?.id !== contact.id) continue;
        console.log(`  ${when(event.at)}  ${describe(event)}`);
        if (++seen >= limit) break;
      }
    }
  }
} catch (err) {
  console.error(isSwitchboardError(err) ? `Switchboard said ${err.code}: ${err.message}` : err);
  process.exitCode = 1;
} finally {
  await client.close();
}
