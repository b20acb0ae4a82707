import { html } from './html.ts';
import { alertMessage, pageDocument, transactionFields, type PageFrame } from './page-document.ts';

/**
 * A sign-in alternative handled by an identity provider (Azure AD B2B for staff, B2C for patients): a link,
 * or, when the provider depends on who signs in (several B2B tenants), a GET form asking for a work email.
 */
export type SignInOption =
  | { label: string; href: string }
  | { label: string; action: string; fields: Record<string, string>; emailLabel: string };

export interface SignInForm {
  action: string;
  transactionId: string;
  csrfToken: string;
  /** Echoed after a failed attempt so the user only retypes the password. */
  username?: string;
  error?: string;
  azureButtons?: SignInOption[];
  /** Identity providers before the password form (a patient-facing request leads with B2C). */
  providersFirst?: boolean;
}

const ERROR_ID = 'sign-in-error';

function otherSignIns(options: SignInOption[] | undefined, first: boolean) {
  if (options === undefined || options.length === 0) return false;
  return html`<section aria-labelledby="other-sign-in">
<h2 id="other-sign-in">${first ? 'Sign in with' : 'Or sign in with'}</h2>
<ul class="providers">
${options.map((option) => html`<li>${signInOption(option)}</li>
`)}</ul>
</section>`;
}

function signInOption(option: SignInOption) {
  if ('href' in option) return html`<a class="button secondary" href="${option.href}">${option.label}</a>`;
  return html`<form method="get" action="${option.action}">
${Object.entries(option.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">
`)}<div class="field">
<label for="azure-email">${option.emailLabel}</label>
<input type="email" id="azure-email" name="email" autocomplete="email" autocapitalize="none" spellcheck="false" required>
</div>
<button type="submit" class="secondary">${option.label}</button>
</form>`;
}

/**
 * The EHR username and password page of the authorization flow (DESIGN §3). The password form comes
 * first; identity-provider sign-ins, when configured, are listed below it.
 */
export function signInPage(frame: PageFrame, form: SignInForm): string {
  const hasError = form.error !== undefined && form.error !== '';
  const describedBy = hasError ? html` aria-describedby="${ERROR_ID}"` : false;
  const providers = otherSignIns(form.azureButtons, form.providersFirst === true);
  return pageDocument(frame, 'Sign in', html`<h1>Sign in</h1>
${alertMessage(form.error, ERROR_ID)}
${form.providersFirst ? providers : false}
<form method="post" action="${form.action}">
${transactionFields(form.transactionId, form.csrfToken)}
<div class="field">
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${form.username ?? ''}"${describedBy}>
</div>
<div class="field">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required${describedBy}>
</div>
<div class="actions">
<button type="submit">Sign in</button>
</div>
</form>
${form.providersFirst ? false : providers}`);
}
