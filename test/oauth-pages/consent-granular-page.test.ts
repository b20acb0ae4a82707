import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consentPage } from '../../src/oauth/pages/index.ts';
import { count, elements, labelsFor, textOf } from './inspect-html.ts';

const LAB = 'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory';
const VITALS = 'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs';
const doc = consentPage({ assetsPath: '/assets', clientName: 'App' }, {
  action: '/auth/consent', transactionId: 'tx', csrfToken: 'csrf', dropped: [],
  items: [
    { scopes: ['launch/patient'], text: 'Know which patient', checked: true },
    { scopes: ['patient/Observation.rs'], text: 'Read and search your observations', checked: true, choices: [
      { scopes: [LAB], text: 'Read and search your lab results' },
      { scopes: [VITALS, VITALS.replace('.rs', '.read')], text: 'Read and search your <vital> signs' },
    ] },
  ],
});

describe('consent page granular choices', () => {
  it('nests an "Or only:" group of unchecked checkboxes, one per choice, under its line', () => {
    const boxes = elements(doc, 'input').filter((i) => i.type === 'checkbox');
    assert.deepEqual(boxes.map((b) => [b.id, b.name, b.value, 'checked' in b]), [
      ['scope-0', 'scope', 'launch/patient', true],
      ['scope-1', 'scope', 'patient/Observation.rs', true],
      ['scope-1-0', 'scope', LAB, false],
      ['scope-1-1', 'scope', `${VITALS} ${VITALS.replace('.rs', '.read')}`, false],
    ]);
    assert.deepEqual(boxes.map((b) => labelsFor(doc, b.id ?? '')), [
      ['Know which patient'], ['Read and search your observations'], ['Read and search your lab results'], ['Read and search your &lt;vital&gt; signs'],
    ]);
    assert.match(doc, /<label for="scope-1">Read and search your observations<\/label>\n<fieldset aria-describedby="scope-1-rule">\n<legend>Or only:<\/legend>\n<p class="note" id="scope-1-rule">[^<]*<\/p>\n<div class="choice">\n<input type="checkbox" id="scope-1-0"/);
  });

  it('states that choosing any of them grants only the kinds chosen', () => {
    assert.equal(textOf(doc, 'scope-1-rule'), 'Choosing any of these grants only the kinds chosen.');
    assert.equal(count(doc, '<legend>Or only:</legend>'), 1);
    assert.equal(count(doc, '<fieldset'), 2);
    assert.equal(count(doc, '</fieldset>'), 2);
  });

  it('has no group for a line without choices', () => {
    const plain = consentPage({ assetsPath: '/assets', clientName: 'App' }, {
      action: '/c', transactionId: 'tx', csrfToken: 'csrf', dropped: [],
      items: [{ scopes: ['patient/Observation.rs'], text: 'Observations', checked: true, choices: [] }],
    });
    assert.equal(count(plain, 'Or only:'), 0);
    assert.match(plain, /<input type="checkbox" id="scope-0" name="scope" value="patient\/Observation.rs" checked>\n<label for="scope-0">Observations<\/label>\n<\/div>/);
  });
});
