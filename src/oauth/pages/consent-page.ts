import { html } from './html.ts';
import { alertMessage, pageDocument, transactionFields, type PageFrame } from './page-document.ts';

/** A narrower alternative to a line (e.g. only lab results of all observations), unchecked by default. */
export interface ConsentChoice {
  /** The granular scope tokens it stands for, posted space-separated like a line's. */
  scopes: readonly string[];
  text: string;
}

/** One line of requested access, in plain language, that the user may approve, deselect, or narrow to some of its choices. */
export interface ConsentItem {
  /** The scope tokens the line stands for (`openid fhirUser`); its checkbox posts them space-separated, like the OAuth `scope` parameter. */
  scopes: readonly string[];
  text: string;
  checked: boolean;
  /** Why it cannot be granted (e.g. the user's EHR role lacks it); the item is then shown but disabled. */
  unavailableReason?: string;
  /** Granular alternatives (ONC (g)(10) granular selection); choosing any grants those instead of the whole line. */
  choices?: readonly ConsentChoice[];
}

export interface ConsentForm {
  action: string;
  transactionId: string;
  csrfToken: string;
  patientName?: string;
  items: ConsentItem[];
  /** Access the app asked for that will not be given whatever the user decides. */
  dropped: { text: string }[];
  error?: string;
}

function consentItem(item: ConsentItem, i: number) {
  const id = `scope-${i}`;
  const value = item.scopes.join(' ');
  if (item.unavailableReason !== undefined) {
    // Disabled and unchecked: the browser leaves it out of the post, so it cannot be approved.
    return html`<div class="choice">
<input type="checkbox" id="${id}" name="scope" value="${value}" disabled aria-describedby="${id}-reason">
<div>
<label for="${id}">${item.text}</label>
<span class="reason" id="${id}-reason">${item.unavailableReason}</span>
</div>
</div>
`;
  }
  const choices = item.choices ?? [];
  if (choices.length === 0) {
    return html`<div class="choice">
<input type="checkbox" id="${id}" name="scope" value="${value}"${item.checked && html` checked`}>
<label for="${id}">${item.text}</label>
</div>
`;
  }
  // The group sits beside the line's own checkbox, so it reads (and is indented) as part of that line.
  return html`<div class="choice">
<input type="checkbox" id="${id}" name="scope" value="${value}"${item.checked && html` checked`}>
<div>
<label for="${id}">${item.text}</label>
<fieldset aria-describedby="${id}-rule">
<legend>Or only:</legend>
<p class="note" id="${id}-rule">Choosing any of these grants only the kinds chosen.</p>
${choices.map((choice, j) => html`<div class="choice">
<input type="checkbox" id="${id}-${j}" name="scope" value="${choice.scopes.join(' ')}">
<label for="${id}-${j}">${choice.text}</label>
</div>
`)}</fieldset>
</div>
</div>
`;
}

function droppedList(dropped: { text: string }[]) {
  if (dropped.length === 0) return false;
  return html`<section aria-labelledby="not-available">
<h2 id="not-available">Not available</h2>
<p>${dropped.length === 1 ? 'This was asked for but will not be given:' : 'These were asked for but will not be given:'}</p>
<ul>
${dropped.map((entry) => html`<li>${entry.text}</li>
`)}</ul>
</section>`;
}

/**
 * The consent page (DESIGN §4): the requested scopes in plain language, one checkbox per distinct line, any of
 * which the user may deselect, and under Condition and Observation lines unchecked granular alternatives (ONC (g)(10)
 * 9.26/9.28); the token then carries only what was approved and what the user's EHR permissions allow.
 */
export function consentPage(frame: PageFrame, form: ConsentForm): string {
  return pageDocument(frame, 'Allow access?', html`<h1>Allow access?</h1>
${alertMessage(form.error)}
<p>${frame.clientName} is asking to:</p>
${form.patientName !== undefined && form.patientName !== '' && html`<p class="patient">Patient: ${form.patientName}</p>`}
<form method="post" action="${form.action}">
${transactionFields(form.transactionId, form.csrfToken)}
<fieldset>
<legend>Requested access</legend>
${form.items.map(consentItem)}</fieldset>
${droppedList(form.dropped)}
<p class="note">You can withdraw this access later.</p>
<div class="actions">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</div>
</form>`);
}
