import { html, type HtmlValue, type SafeHtml } from './html.ts';

/** What every page of the authorization flow is framed with. */
export interface PageFrame {
  /** Where `pages.css` is served, derived from the mount path (no trailing slash needed). */
  assetsPath: string;
  /** The app asking for access, as registered; shown in the page header. */
  clientName: string;
}

/** A frame whose client may be unknown, for errors raised before the client is identified. */
export type ErrorPageFrame = Omit<PageFrame, 'clientName'> & { clientName?: string };

/** Joins the assets path and a file name without doubling or dropping the slash. */
function assetUrl(assetsPath: string, file: string): string {
  return `${assetsPath.replace(/\/+$/, '')}/${file}`;
}

/**
 * The full document around a page body: language, viewport, the external stylesheet (the CSP allows
 * neither inline styles nor scripts), a header naming the app, and the page's single `<main>`.
 */
export function pageDocument(frame: ErrorPageFrame, title: string, body: HtmlValue): string {
  const header: SafeHtml | false = frame.clientName !== undefined && frame.clientName !== '' &&
    html`<header><p>${frame.clientName} would like to access the EHR</p></header>`;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${assetUrl(frame.assetsPath, 'pages.css')}">
</head>
<body>
${header}
<main>
${body}
</main>
</body>
</html>
`.toString();
}

/** The hidden fields that tie a form post to its authorization transaction and guard it against CSRF. */
export function transactionFields(transactionId: string, csrfToken: string): SafeHtml {
  return html`<input type="hidden" name="transaction_id" value="${transactionId}">
<input type="hidden" name="csrf_token" value="${csrfToken}">`;
}

/** An error or refusal the user must notice, announced by screen readers as soon as the page loads. */
export function alertMessage(message: string | undefined, id = 'page-error'): SafeHtml | false {
  return message !== undefined && message !== '' && html`<p class="alert" role="alert" id="${id}">${message}</p>`;
}
