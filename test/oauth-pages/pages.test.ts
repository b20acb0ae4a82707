import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  consentPage, errorPage, formatBirthDate, patientPickerPage, signInPage, PAGES_STYLESHEET,
} from '../../src/oauth/pages/index.ts';
import { buttons, count, elements, forms, hiddenFields, labelsFor, textOf } from './inspect-html.ts';

const HOSTILE_CLIENT = '<script>alert(1)</script>';
const frame = { assetsPath: '/ehr/smart/assets', clientName: HOSTILE_CLIENT };
// Distinctive, hostile values: they must show up only as escaped hidden-input values.
const TX = 'tx-7Q"><b>';
const CSRF = 'csrf-Zk9&x';
const TX_ESCAPED = 'tx-7Q&quot;&gt;&lt;b&gt;';
const CSRF_ESCAPED = 'csrf-Zk9&amp;x';
const tx = { transactionId: TX, csrfToken: CSRF };

const patients = [
  { id: 'pat-1', name: 'Smith & Jones, Ann', birthDate: '1986-07-22' },
  { id: 'pat-"2"', name: 'Lee, Bo <b>', birthDate: null },
];
const consentItems = [
  { scopes: ['openid', 'fhirUser'], text: 'Know who you are', checked: true },
  { scopes: ['patient/Observation.rs'], text: 'Read and search your lab results', checked: true },
  { scopes: ['patient/Condition.rs'], text: 'Read your problems & "concerns"', checked: false },
  { scopes: ['patient/MedicationRequest.cud', 'patient/MedicationRequest.write'], text: 'Change your prescriptions', checked: true,
    unavailableReason: 'Your EHR role does not allow <this>' },
];

const pages: Record<string, string> = {
  'sign-in': signInPage(frame, { action: '/auth/login', ...tx, username: '"><img src=x>', error: 'Wrong <password>',
    azureButtons: [{ label: 'Sign in with your organization', href: '/auth/azure/b2b?a=1&b=2' }] }),
  picker: patientPickerPage(frame, { action: '/auth/pick', ...tx, patients, error: 'Choose one & retry',
    search: { query: '"Smith"', searchAction: '/auth/pick/search' } }),
  'empty picker': patientPickerPage(frame, { action: '/auth/pick', ...tx, patients: [] }),
  consent: consentPage(frame, { action: '/auth/consent', ...tx, patientName: 'Smith & Jones, Ann',
    items: consentItems, dropped: [{ text: 'Write <anything>' }] }),
  error: errorPage({ assetsPath: '/ehr/smart/assets' }, { title: 'Unknown <app>', message: 'The app & its link are not registered.', status: 400 }),
};

describe('every authorization page', () => {
  for (const [name, doc] of Object.entries(pages)) {
    it(`${name}: is a complete, accessible document`, () => {
      assert.equal(doc.slice(0, 33), '<!DOCTYPE html>\n<html lang="en">\n');
      assert.equal(count(doc, '<main>'), 1);
      assert.equal(count(doc, '<h1>'), 1);
      assert.equal(count(doc, '<meta name="viewport" content="width=device-width, initial-scale=1">'), 1);
      assert.deepEqual(elements(doc, 'link'), [{ rel: 'stylesheet', href: '/ehr/smart/assets/pages.css' }]);
      for (const input of elements(doc, 'input').filter((i) => i.type !== 'hidden')) {
        assert.equal(labelsFor(doc, input.id ?? '(no id)').length, 1, `one label for ${input.id}`);
      }
      for (const button of buttons(doc)) assert.equal(button.attrs.type, 'submit');
    });

    it(`${name}: has no scripts, inline styles or outside resources, and escapes the client name`, () => {
      // Real attribute values are always double-quoted; escaped text can never contain a quote.
      for (const forbidden of ['<script', '<style', 'style=', 'src="', 'http:', 'https:', HOSTILE_CLIENT]) {
        assert.equal(count(doc.toLowerCase(), forbidden), 0, forbidden);
      }
      assert.doesNotMatch(doc, /\son[a-z]+="/i);
    });

    it(`${name}: shows the transaction id and CSRF token only as escaped hidden inputs`, () => {
      const hidden = elements(doc, 'input').filter((i) => i.type === 'hidden');
      assert.equal(count(doc, TX_ESCAPED), hidden.filter((i) => i.value === TX_ESCAPED).length);
      assert.equal(count(doc, CSRF_ESCAPED), hidden.filter((i) => i.value === CSRF_ESCAPED).length);
      assert.equal(count(doc, 'tx-7Q'), count(doc, TX_ESCAPED));
      assert.equal(count(doc, 'csrf-Zk9'), count(doc, CSRF_ESCAPED));
    });
  }
});

describe('sign-in page', () => {
  const doc = pages['sign-in'] as string;

  it('names the app in the header and asks for username and password', () => {
    assert.match(doc, /<header><p>&lt;script&gt;alert\(1\)&lt;\/script&gt; would like to access the EHR<\/p><\/header>/);
    assert.deepEqual(labelsFor(doc, 'username'), ['Username']);
    assert.deepEqual(labelsFor(doc, 'password'), ['Password']);
    const [user, password] = elements(doc, 'input').filter((i) => i.type !== 'hidden');
    assert.equal(user?.name, 'username');
    assert.equal(user?.autocomplete, 'username');
    assert.equal(user?.value, '&quot;&gt;&lt;img src=x&gt;');
    assert.equal(password?.type, 'password');
    assert.equal(password?.name, 'password');
    assert.equal(password?.autocomplete, 'current-password');
    assert.equal(password?.value, undefined);
  });

  it('posts the credentials with the transaction fields and a "Sign in" button', () => {
    const [form] = forms(doc);
    assert.match(form ?? '', /^<form method="post" action="\/auth\/login">/);
    assert.deepEqual(hiddenFields(form ?? ''), { transaction_id: TX_ESCAPED, csrf_token: CSRF_ESCAPED });
    assert.deepEqual(buttons(doc).map((b) => b.text), ['Sign in']);
  });

  it('announces the error', () => {
    assert.equal(textOf(doc, 'sign-in-error'), 'Wrong &lt;password&gt;');
    assert.match(doc, /<p class="alert" role="alert" id="sign-in-error">/);
  });

  it('lists identity-provider sign-ins below the form, as links', () => {
    assert.match(doc, /<\/form>\n<section aria-labelledby="other-sign-in">\n<h2 id="other-sign-in">Or sign in with<\/h2>/);
    assert.deepEqual(elements(doc, 'a'), [{ class: 'button secondary', href: '/auth/azure/b2b?a=1&amp;b=2' }]);
    assert.match(doc, /<a [^>]*>Sign in with your organization<\/a>/);
  });

  it('has no alternatives section and no alert when there is nothing to show', () => {
    const plain = signInPage(frame, { action: '/auth/login', ...tx, azureButtons: [] });
    assert.equal(count(plain, 'Or sign in with'), 0);
    assert.equal(count(plain, 'role="alert"'), 0);
    assert.equal(count(plain, 'aria-describedby'), 0);
    assert.equal(elements(plain, 'input').find((i) => i.name === 'username')?.value, '');
  });
});

describe('patient picker page', () => {
  const doc = pages.picker as string;

  it('offers a GET name search that carries the transaction id but never the CSRF token', () => {
    const [search] = forms(doc);
    assert.match(search ?? '', /^<form method="get" action="\/auth\/pick\/search"/);
    assert.deepEqual(hiddenFields(search ?? ''), { transaction_id: TX_ESCAPED });
    assert.deepEqual(labelsFor(doc, 'patient-name'), ['Patient name']);
    const field = elements(search ?? '', 'input').find((i) => i.id === 'patient-name');
    assert.equal(field?.name, 'name');
    assert.equal(field?.value, '&quot;Smith&quot;');
    assert.deepEqual(buttons(search ?? '').map((b) => b.text), ['Search']);
  });

  it('lists one unselected radio per patient, labelled with name and birth date', () => {
    const [, choose] = forms(doc);
    assert.match(choose ?? '', /^<form method="post" action="\/auth\/pick">/);
    assert.match(choose ?? '', /<fieldset>\n<legend>Patient<\/legend>/);
    const radios = elements(choose ?? '', 'input').filter((i) => i.type === 'radio');
    assert.deepEqual(radios.map((r) => [r.name, r.value]), [['patient', 'pat-1'], ['patient', 'pat-&quot;2&quot;']]);
    assert.deepEqual(radios.map((r) => 'checked' in r), [false, false]);
    assert.deepEqual(labelsFor(doc, radios[0]?.id ?? ''), ['Smith &amp; Jones, Ann (born 22 July 1986)']);
    assert.deepEqual(labelsFor(doc, radios[1]?.id ?? ''), ['Lee, Bo &lt;b&gt; (birth date unknown)']);
    assert.deepEqual(hiddenFields(choose ?? ''), { transaction_id: TX_ESCAPED, csrf_token: CSRF_ESCAPED });
    assert.deepEqual(buttons(choose ?? '').map((b) => b.text), ['Continue']);
    assert.match(doc, /<p class="alert" role="alert" id="page-error">Choose one &amp; retry<\/p>/);
  });

  it('says why the list is empty and offers no Continue button', () => {
    const empty = pages['empty picker'] as string;
    assert.match(empty, /<p class="empty" role="status">There are no charts you may open\.<\/p>/);
    assert.equal(forms(empty).length, 0);
    assert.equal(count(empty, 'Continue'), 0);
    const noMatch = patientPickerPage(frame, { action: '/a', ...tx, patients: [], search: { query: 'Zed', searchAction: '/s' } });
    assert.match(noMatch, /<p class="empty" role="status">No patients match\.<\/p>/);
    assert.deepEqual(buttons(noMatch).map((b) => b.text), ['Search']);
  });
});

describe('birth dates on the picker', () => {
  const cases: [string, string][] = [
    ['1986-07-22', '22 July 1986'], ['2001-01-05', '5 January 2001'], ['1999-12-31', '31 December 1999'],
    ['2000-02-29', '29 February 2000'], ['1986-07', 'July 1986'], ['1986', '1986'],
    ['1900-02-29', '1900-02-29'], ['1986-13-01', '1986-13-01'], ['1986-07-00', '1986-07-00'],
    ['22/07/1986', '22/07/1986'], ['1986-07-22T00:00:00Z', '1986-07-22T00:00:00Z'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => assert.equal(formatBirthDate(input), expected));
  }
});

describe('consent page', () => {
  const doc = pages.consent as string;

  it('asks the question, names the app and the patient', () => {
    assert.match(doc, /<h1>Allow access\?<\/h1>/);
    assert.match(doc, /<p>&lt;script&gt;alert\(1\)&lt;\/script&gt; is asking to:<\/p>/);
    assert.match(doc, /<p class="patient">Patient: Smith &amp; Jones, Ann<\/p>/);
    assert.match(doc, /<fieldset>\n<legend>Requested access<\/legend>/);
  });

  it('has one checkbox per item carrying all its scopes, checked as given, and disables unavailable items with the reason', () => {
    const boxes = elements(doc, 'input').filter((i) => i.type === 'checkbox');
    assert.deepEqual(boxes.map((b) => [b.name, b.value, 'checked' in b, 'disabled' in b]), [
      ['scope', 'openid fhirUser', true, false],
      ['scope', 'patient/Observation.rs', true, false],
      ['scope', 'patient/Condition.rs', false, false],
      ['scope', 'patient/MedicationRequest.cud patient/MedicationRequest.write', false, true],
    ]);
    assert.deepEqual(boxes.map((b) => labelsFor(doc, b.id ?? '')), [
      ['Know who you are'], ['Read and search your lab results'], ['Read your problems &amp; &quot;concerns&quot;'], ['Change your prescriptions'],
    ]);
    const reasonId = boxes[3]?.['aria-describedby'] ?? '';
    assert.equal(textOf(doc, reasonId), 'Your EHR role does not allow &lt;this&gt;');
  });

  it('lists what will not be given, and has nothing of the kind when all is available', () => {
    assert.match(doc, /<h2 id="not-available">Not available<\/h2>[\s\S]*<li>Write &lt;anything&gt;<\/li>/);
    const none = consentPage(frame, { action: '/c', ...tx, items: consentItems, dropped: [] });
    assert.equal(count(none, 'Not available'), 0);
    assert.equal(count(none, 'Patient:'), 0);
  });

  it('posts Allow or Deny from one form with the transaction fields, and says access can be withdrawn', () => {
    const [form, ...others] = forms(doc);
    assert.equal(others.length, 0);
    assert.match(form ?? '', /^<form method="post" action="\/auth\/consent">/);
    assert.deepEqual(hiddenFields(form ?? ''), { transaction_id: TX_ESCAPED, csrf_token: CSRF_ESCAPED });
    assert.deepEqual(buttons(form ?? '').map((b) => [b.text, b.attrs.name, b.attrs.value]), [
      ['Allow', 'decision', 'allow'], ['Deny', 'decision', 'deny'],
    ]);
    assert.match(doc, /You can withdraw this access later\./);
  });
});

describe('error page', () => {
  it('shows the title and the message as an alert, with no header or links when the client is unknown', () => {
    const doc = pages.error as string;
    assert.match(doc, /<title>Unknown &lt;app&gt;<\/title>/);
    assert.match(doc, /<h1>Unknown &lt;app&gt;<\/h1>\n<p class="alert" role="alert">The app &amp; its link are not registered\.<\/p>/);
    assert.equal(count(doc, '<header>'), 0);
    assert.equal(count(doc, '<a '), 0);
    assert.equal(count(doc, '<form'), 0);
  });

  it('names the app when it is known, escaped', () => {
    const doc = errorPage({ ...frame, assetsPath: '/x/' }, { title: 'Access denied', message: 'No.', status: 403 });
    assert.match(doc, /<header><p>&lt;script&gt;alert\(1\)&lt;\/script&gt; would like to access the EHR<\/p><\/header>/);
    assert.deepEqual(elements(doc, 'link'), [{ rel: 'stylesheet', href: '/x/pages.css' }]);
  });
});

describe('the pages stylesheet', () => {
  it('loads nothing from elsewhere and keeps pages readable on phones', () => {
    assert.equal(count(PAGES_STYLESHEET, 'url('), 0);
    assert.equal(count(PAGES_STYLESHEET, '@import'), 0);
    assert.match(PAGES_STYLESHEET, /@media \(max-width: /);
    assert.match(PAGES_STYLESHEET, /:focus-visible \{/);
  });
});
