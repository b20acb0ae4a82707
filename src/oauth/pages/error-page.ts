import { html } from './html.ts';
import { pageDocument, type ErrorPageFrame } from './page-document.ts';

/** An error that ends the flow in the browser, because it may not be redirected to the client. */
export interface PageError {
  title: string;
  message: string;
  /** The HTTP status the response is sent with; the caller sets it, the page does not show it. */
  status: number;
}

/**
 * The page shown when an authorization request must not be redirected (RFC 6749 §4.1.2.1: unknown
 * client or redirect URI). It deliberately carries no link back to the client, which may be the problem.
 */
export function errorPage(frame: ErrorPageFrame, error: PageError): string {
  return pageDocument(frame, error.title, html`<h1>${error.title}</h1>
<p class="alert" role="alert">${error.message}</p>`);
}
