import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseLanguage, translate, type Catalogue } from './i18n.js';

describe('widget language', () => {
  it('prefers the lang attribute, then the browser, then English', () => {
    assert.equal(chooseLanguage('es', ['fr-CA']), 'es');
    assert.equal(chooseLanguage('fr-CA'), 'fr');
    assert.equal(chooseLanguage(null, ['de-DE', 'fr-FR', 'es']), 'fr');
    assert.equal(chooseLanguage('de', ['it']), 'en');
    assert.equal(chooseLanguage(undefined), 'en');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const texts: Catalogue<'waiting'> = {
      en: { waiting: '{n} waiting for {agent}' },
      es: { waiting: '{n} en espera de {agent}' },
      fr: { waiting: '{n} en attente de {agent}' },
    };
    assert.equal(translate(texts, 'fr', 'waiting', { n: 3, agent: 'Ana' }), '3 en attente de Ana');
    assert.equal(translate(texts, 'es', 'waiting', { n: 1 }), '1 en espera de {agent}');
  });
});

describe('durations', () => {
  it('shows m:ss, and h:mm:ss from an hour', async () => {
    const { formatDuration } = await import('./i18n.js');
    assert.equal(formatDuration(0), '0:00');
    assert.equal(formatDuration(75.9), '1:15');
    assert.equal(formatDuration(3725), '1:02:05');
    assert.equal(formatDuration(-3), '0:00');
  });
});
