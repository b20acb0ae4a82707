import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, SafeHtml } from '../../src/oauth/pages/html.ts';

describe('the html template', () => {
  it('escapes every character that can open markup or close an attribute', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&amp;</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    assert.equal(html`<p title="${'"><script>'}">${'<b>&'}</p>`.toString(),
      '<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;&amp;</p>');
  });

  it('keeps fragments it built and joins arrays of them, escaping plain strings inside arrays', () => {
    const items = ['a&b', html`<i>${'<c>'}</i>`, ['d', html`<br>`]];
    assert.equal(html`<li>${items}</li>`.toString(), '<li>a&amp;b<i>&lt;c&gt;</i>d<br></li>');
  });

  it('renders nothing for null, undefined and false, and numbers as text', () => {
    assert.equal(html`[${null}|${undefined}|${false}|${0}|${42}]`.toString(), '[|||0|42]');
  });

  it('escapes look-alike objects instead of trusting them', () => {
    const forged = { toString: () => '<img src=x onerror=alert(1)>' } as unknown as string;
    assert.equal(html`${forged}`.toString(), '&lt;img src=x onerror=alert(1)&gt;');
    const copied = Object.create(SafeHtml.prototype) as SafeHtml;
    assert.equal(SafeHtml.is(copied), false);
    assert.equal(SafeHtml.is(html`<p></p>`), true);
  });

  it('cannot be used to mark arbitrary text as safe', () => {
    assert.throws(() => SafeHtml.fromTemplate('<script>', Symbol('html fragment') as never), TypeError);
  });
});
