import { html } from './html.ts';
import { alertMessage, pageDocument, transactionFields, type PageFrame } from './page-document.ts';

/** A sign-in alternative handled by an identity provider (Azure AD B2B for staff, B2C for patients). */
export interface SignInOption {
  label: string;
  href: string;
}

export interface SignInForm {
  action: string;
  transactionId: string;
  csrfToken: string;
  /** Echoed after a failed attempt so the user only retypes the password. */
  username?: string;
  error?: string;
  azureButtons?: SignInOption[];
}

const ERROR_ID = 'sign-in-error';

function otherSignIns(options: SignInOption[] | undefined) {
  if (options === undefined || options.length === 0) return false;
  return html`<section aria-labelledby="other-sign-in">
<h2 id="other-sign-in">Or sign in with</h2>
<ul class="providers">
${options.map((option) => html`<li><a class="button secondary" href="${option.href}">${option.label}</a></li>
`)}</ul>
</section>`;
}

/**
 * The EHR username and password page of the authorization flow (DESIGN §3). The password form comes
 * first; identity-provider sign-ins, when configured, are listed below it.
 */
export function signInPage(frame: PageFrame, form: SignInForm): string {
  const hasError = form.error !== undefined && form.error !== '';
  const describedBy = hasError ? html` aria-describedby="${ERROR_ID}"` : false;
  return pageDocument(frame, 'Sign in', html`<h1>Sign in</h1>
${alertMessage(form.error, ERROR_ID)}
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
${otherSignIns(form.azureButtons)}`);
}
