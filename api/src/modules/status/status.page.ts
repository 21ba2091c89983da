import type { FastifyInstance } from 'fastify';
import type { App } from '../../platform/context.js';
import { platformEm } from '../../platform/db/orm.js';
import { stripInvalidText } from '../../platform/validation.js';
import { ComponentStatus } from './status.entity.js';
import { confirmSubscription, statusPage } from './status.service.js';
import type { StatusIncidentType, StatusPageType } from './status.type.js';

/**
 * Escapes text for HTML and XML content and attribute values, without the characters XML 1.0 cannot
 * carry at all (control characters of text stored before the API refused them).
 */
export function escape(value: string): string {
  return stripInvalidText(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const LABEL: Record<ComponentStatus, string> = {
  [ComponentStatus.OPERATIONAL]: 'Operational',
  [ComponentStatus.PARTIAL_OUTAGE]: 'Partial outage',
  [ComponentStatus.MAJOR_OUTAGE]: 'Major outage',
};
const COLOUR: Record<ComponentStatus, string> = {
  [ComponentStatus.OPERATIONAL]: '#1a7f37',
  [ComponentStatus.PARTIAL_OUTAGE]: '#bc4c00',
  [ComponentStatus.MAJOR_OUTAGE]: '#cf222e',
};
const time = (d: Date) => `<time datetime="${d.toISOString()}">${escape(d.toISOString().slice(0, 16).replace('T', ' '))} UTC</time>`;
const badge = (s: ComponentStatus) => `<span class="badge" style="background:${COLOUR[s]}">${LABEL[s]}</span>`;

function incidentHtml(i: StatusIncidentType): string {
  const updates = i.updates.map((u) => `<li><strong>${escape(u.phase)}</strong> ${time(u.createdAt)}<br>${escape(u.message)}</li>`).join('');
  const pm = i.postMortem
    ? `<details><summary>Post-mortem</summary><p>${escape(i.postMortem.description)}</p><p>${escape(i.postMortem.impact)}</p><p>Resolution: ${escape(i.postMortem.resolution)}</p><p>Corrective actions: ${escape(i.postMortem.correctiveActions)}</p></details>`
    : '';
  return `<article><h3>${escape(i.title)}</h3><p>${escape(i.impact)} · ${escape(i.components.join(', '))} · started ${time(i.startedAt)}${i.resolvedAt ? ` · resolved ${time(i.resolvedAt)}` : ''}</p><ul>${updates}</ul>${pm}</article>`;
}

/** The status page as plain HTML: readable without JavaScript, every value escaped. */
export function renderStatusHtml(page: StatusPageType): string {
  const components = page.components
    .map((c) => {
      const servers = c.servers.length ? `<ul class="servers">${c.servers.map((s) => `<li>${escape(s.name)} ${badge(s.status)}</li>`).join('')}</ul>` : '';
      return `<li><span class="name">${escape(c.name)}</span> ${badge(c.status)}${servers}</li>`;
    })
    .join('');
  const now = page.generatedAt;
  const upcoming = page.maintenance.filter((m) => !m.cancelledAt && m.endsAt >= now);
  const past = page.maintenance.filter((m) => m.cancelledAt || m.endsAt < now);
  const maint = (list: typeof page.maintenance) =>
    list.map((m) => `<li><strong>${escape(m.title)}</strong> ${time(m.startsAt)} – ${time(m.endsAt)} · ${escape(m.components.join(', '))}${m.cancelledAt ? ' · cancelled' : ''}<br>${escape(m.description)}</li>`).join('') || '<li>None</li>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard status</title>
<link rel="alternate" type="application/atom+xml" title="Switchboard status" href="/status/feed.atom">
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1f2328}.badge{color:#fff;border-radius:.3rem;padding:.1rem .4rem;font-size:.85rem}ul{padding-left:1.2rem}li{margin:.3rem 0}.name{font-weight:600}article{border-top:1px solid #d0d7de;padding:.5rem 0}</style>
</head><body>
<h1>Switchboard status</h1>
<p>Overall: ${badge(page.overall)} · updated ${time(now)} · <a href="/status/feed.atom">Atom feed</a></p>
<h2>Components</h2><ul>${components || '<li>No components yet</li>'}</ul>
<h2>Current incidents</h2>${page.activeIncidents.map(incidentHtml).join('') || '<p>No current incidents.</p>'}
<h2>Scheduled maintenance</h2><ul>${maint(upcoming)}</ul>
<h2>Past incidents (90 days)</h2>${page.recentIncidents.map(incidentHtml).join('') || '<p>No incidents.</p>'}
<h2>Past maintenance (90 days)</h2><ul>${maint(past)}</ul>
</body></html>`;
}

/** An Atom feed: one entry per incident update and per maintenance window, newest first. */
export function renderStatusAtom(page: StatusPageType, baseUrl: string): string {
  const entries: { id: string; title: string; updated: Date; body: string }[] = [];
  for (const i of [...page.activeIncidents, ...page.recentIncidents]) {
    for (const u of i.updates) entries.push({ id: `urn:switchboard:incident:${i.id}:${u.createdAt.getTime()}`, title: `[${u.phase}] ${i.title}`, updated: u.createdAt, body: `${u.message} (${i.components.join(', ')})` });
  }
  for (const m of page.maintenance) {
    entries.push({ id: `urn:switchboard:maintenance:${m.id}`, title: `${m.cancelledAt ? '[CANCELLED] ' : ''}[MAINTENANCE] ${m.title}`, updated: m.cancelledAt ?? m.noticeGivenAt, body: `${m.startsAt.toISOString()} to ${m.endsAt.toISOString()} (${m.components.join(', ')}): ${m.description}` });
  }
  entries.sort((a, b) => b.updated.getTime() - a.updated.getTime());
  const updated = entries[0]?.updated ?? page.generatedAt;
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Switchboard status</title>
<id>urn:switchboard:status</id>
<updated>${updated.toISOString()}</updated>
<link rel="alternate" type="text/html" href="${escape(baseUrl)}/status"/>
<link rel="self" href="${escape(baseUrl)}/status/feed.atom"/>
${entries.map((e) => `<entry><id>${escape(e.id)}</id><title>${escape(e.title)}</title><updated>${e.updated.toISOString()}</updated><author><name>Switchboard</name></author><content type="text">${escape(e.body)}</content></entry>`).join('\n')}
</feed>
`;
}

/** GET /status (HTML), /status/feed.atom and /status/confirm?token= : public, no sign-in. */
export async function registerStatusRoutes(fastify: FastifyInstance, app: App): Promise<void> {
  const baseUrl = () => app.config.publicUrl ?? '';
  fastify.get('/status', async (_request, reply) => {
    const page = await statusPage(platformEm(app.orm), app.clock.now());
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(renderStatusHtml(page));
  });
  fastify.get('/status/feed.atom', async (_request, reply) => {
    const page = await statusPage(platformEm(app.orm), app.clock.now());
    return reply.type('application/atom+xml; charset=utf-8').send(renderStatusAtom(page, baseUrl()));
  });
  fastify.get<{ Querystring: { token?: string } }>('/status/confirm', async (request, reply) => {
    const token = String(request.query.token ?? '');
    const ok = await confirmSubscription(app, platformEm(app.orm), token).then(() => true, () => false);
    const message = ok ? 'Your subscription is confirmed: status notices will reach you by e-mail.' : 'This confirmation link is not valid.';
    return reply.code(ok ? 200 : 404).type('text/html; charset=utf-8').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Switchboard status</title></head><body><p>${escape(message)}</p><p><a href="/status">Status page</a></p></body></html>`);
  });
}
