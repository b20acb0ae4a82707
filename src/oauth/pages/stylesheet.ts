/**
 * The one stylesheet of the sign-in, picker, consent and error pages, served as `{assetsPath}/pages.css`.
 * It is a separate file because the pages' CSP forbids inline styles. No fonts, images or other
 * resources are loaded from it, so the CSP can stay at `style-src 'self'` with nothing else allowed.
 */
export const PAGES_STYLESHEET = `
:root {
  color-scheme: light;
  --text: #1f2933;
  --muted: #52606d;
  --line: #cbd2d9;
  --surface: #ffffff;
  --page: #f5f7fa;
  --accent: #1d4e89;
  --accent-dark: #163b68;
  --error: #a61b1b;
  --error-surface: #fdecec;
  --focus: #f0b429;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--page);
  color: var(--text);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 1rem;
  line-height: 1.5;
}
header {
  background: var(--surface);
  border-bottom: 1px solid var(--line);
  padding: 0.75rem 1rem;
}
header p { margin: 0 auto; max-width: 32rem; color: var(--muted); overflow-wrap: anywhere; }
main {
  margin: 1.5rem auto;
  max-width: 32rem;
  padding: 1.5rem 1rem;
  background: var(--surface);
  border: 1px solid var(--line);
  border-radius: 0.5rem;
}
@media (max-width: 34rem) {
  main { margin: 0; border: 0; border-radius: 0; }
}
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.125rem; margin: 1.5rem 0 0.5rem; }
p, ul { margin: 0 0 1rem; overflow-wrap: anywhere; }
form { margin: 0 0 1rem; }
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
fieldset { border: 0; margin: 0 0 1rem; padding: 0; min-width: 0; }
legend { font-weight: 600; margin-bottom: 0.5rem; padding: 0; }
.field { margin-bottom: 1rem; }
input[type="text"], input[type="password"], input[type="search"] {
  display: block;
  width: 100%;
  padding: 0.625rem 0.75rem;
  border: 1px solid var(--muted);
  border-radius: 0.375rem;
  font: inherit;
  color: inherit;
  background: var(--surface);
}
.choice { display: flex; align-items: flex-start; gap: 0.625rem; padding: 0.5rem 0; border-bottom: 1px solid var(--line); }
.choice:last-child { border-bottom: 0; }
.choice input { flex: none; width: 1.25rem; height: 1.25rem; margin: 0.15rem 0 0; accent-color: var(--accent); }
.choice label { font-weight: 400; margin: 0; overflow-wrap: anywhere; }
.choice input:disabled + div label { color: var(--muted); }
.reason { display: block; color: var(--muted); font-size: 0.875rem; }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; margin-top: 1.25rem; }
.button, button {
  display: inline-block;
  min-height: 2.75rem;
  padding: 0.625rem 1.25rem;
  border: 1px solid var(--accent);
  border-radius: 0.375rem;
  background: var(--accent);
  color: #ffffff;
  font: inherit;
  font-weight: 600;
  text-align: center;
  text-decoration: none;
  cursor: pointer;
}
.button:hover, button:hover { background: var(--accent-dark); border-color: var(--accent-dark); }
.secondary, .button.secondary {
  background: var(--surface);
  color: var(--accent);
}
.secondary:hover { background: var(--page); color: var(--accent-dark); }
.providers { list-style: none; padding: 0; display: grid; gap: 0.75rem; }
.providers .button { display: block; width: 100%; }
.search { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; }
.search .field { flex: 1 1 12rem; margin: 0; }
.alert {
  padding: 0.75rem 1rem;
  border-left: 4px solid var(--error);
  background: var(--error-surface);
  color: var(--error);
  font-weight: 600;
}
.note { color: var(--muted); font-size: 0.875rem; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
`;
