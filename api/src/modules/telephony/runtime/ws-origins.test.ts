import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../platform/config.js';
import { sipOriginAllowed, sipWsOrigins } from './ws-origins.js';

const config = (env: Record<string, string>) => loadConfig({ ...env });

describe('SIP WebSocket origins', () => {
  it('allow PUBLIC_URL, the API and, on this machine only, the example pages by default', () => {
    assert.deepEqual(sipWsOrigins(config({}), 'http://127.0.0.1:4000'), ['http://127.0.0.1:4000', 'http://127.0.0.1:8080', 'http://localhost:8080']);
    assert.deepEqual(sipWsOrigins(config({ PUBLIC_URL: 'http://localhost:4000/app' }), 'http://127.0.0.1:4000'), [
      'http://localhost:4000', 'http://127.0.0.1:4000', 'http://127.0.0.1:8080', 'http://localhost:8080',
    ]);
    // a public address: the example pages on someone's 127.0.0.1:8080 are no agent app of this platform
    assert.deepEqual(sipWsOrigins(config({ PUBLIC_URL: 'https://cc.example.com' }), 'http://10.0.0.5:4000'), ['https://cc.example.com', 'http://10.0.0.5:4000']);
  });

  it('are exactly SIP_WS_ORIGINS when it is set', () => {
    assert.deepEqual(sipWsOrigins(config({ SIP_WS_ORIGINS: 'https://agents.example.com/, http://desk.local:81' }), 'http://127.0.0.1:4000'), [
      'https://agents.example.com', 'http://desk.local:81',
    ]);
  });

  it('let a request without Origin through and compare origins, not URLs', () => {
    const origins = ['http://127.0.0.1:8080'];
    assert.equal(sipOriginAllowed(origins, undefined), true);
    assert.equal(sipOriginAllowed(origins, 'http://127.0.0.1:8080'), true);
    assert.equal(sipOriginAllowed(origins, 'http://127.0.0.1:8081'), false);
    assert.equal(sipOriginAllowed(origins, 'null'), false);
  });
});
