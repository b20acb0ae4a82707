/**
 * Server-rendered HTML without a template engine. Everything interpolated into `html` is escaped
 * unless it is itself the result of `html`, so markup can only come from this source code, never
 * from the database or the request.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | Interpolation[];

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => escapes[char] ?? char);
}

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<p>${name}</p>\`` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Who is signed in, for the page header; absent on the sign-in page. */
export interface PageUser {
  displayName: string;
  csrfToken: string;
}

/** A complete page in the EHR's layout. */
export function renderPage(title: string, body: SafeHtml, user?: PageUser): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} | Riverside EHR</title>
<link rel="stylesheet" href="/assets/ehr.css">
</head>
<body>
<header>
<span class="brand">Riverside EHR</span>
${user ? html`<span class="who">Signed in as ${user.displayName}</span>
<form method="post" action="/logout" class="inline">
<input type="hidden" name="_csrf" value="${user.csrfToken}">
<button type="submit">Sign out</button>
</form>` : ''}
</header>
<main>
${body}
</main>
</body>
</html>
`.value;
}

/** The stylesheet, served from the app so the Content-Security-Policy can forbid inline styles. */
export const stylesheet = `
body { font-family: system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f6f7f9; }
header { display: flex; gap: 1rem; align-items: center; padding: .6rem 1.2rem; background: #0b4f6c; color: #fff; }
header .brand { font-weight: 700; margin-right: auto; }
main { max-width: 70rem; margin: 1.5rem auto; padding: 0 1.2rem; }
form.inline { display: inline; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; background: #fff; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #dde1e6; vertical-align: top; }
.error { background: #fde8e8; border: 1px solid #e0a3a3; padding: .6rem .9rem; }
.notice { background: #fff7e0; border: 1px solid #e6cf8a; padding: .6rem .9rem; }
.badge { font-size: .8em; padding: .1rem .4rem; border-radius: .3rem; background: #8a1c1c; color: #fff; }
label { display: block; margin: .6rem 0 .2rem; }
pre { white-space: pre-wrap; font-family: inherit; }
`;
