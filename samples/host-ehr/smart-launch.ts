import express, { type Response, type Router } from 'express';
import type { Knex } from 'knex';
import { numericId, requireStaff, staffOf, type StaffMember } from './auth/staff-access.ts';
import { hasValidCsrfToken } from './auth/staff-session.ts';
import { findPatient, type PatientSummary } from './database/chart-queries.ts';
import { html, renderPage, type SafeHtml } from './pages/html-template.ts';

/** What the EHR needs from the SMART plugin to launch the demo app from a chart (EHR launch). */
export interface LaunchDemoApp {
  /** `plugin.createLaunch`: stores a launch context for the signed-in user and returns its opaque id. */
  createLaunch(input: { userId: string; patientId?: string; encounterId?: string; clientId?: string }): Promise<{ launch: string; expiresAt: Date }>;
  /** `plugin.urls.fhirBaseUrl`: sent to the app as `iss`. */
  fhirBaseUrl: string;
  /** The app's launch URL, e.g. `{origin}/apps/demo/launch`. */
  launchUrl: string;
}

export const demoAppClientId = 'demo-app';

/**
 * The demo app reads the patient and their conditions, so launching it needs what showing the chart's
 * clinical sections needs: View Charts, and Sensitive Charts for a sensitive chart.
 */
export function mayLaunchDemoApp(staff: StaffMember, patient: Pick<PatientSummary, 'isSensitive'>): boolean {
  return staff.permissions.has('View Charts') && (!patient.isSensitive || staff.permissions.has('Sensitive Charts'));
}

/** The chart's "Launch demo app" button: a POST form carrying the session's CSRF token. */
export function launchDemoAppForm(staff: StaffMember, patient: Pick<PatientSummary, 'id'>): SafeHtml {
  return html`<form method="post" action="/patients/${String(patient.id)}/launch-demo-app" class="inline">
<input type="hidden" name="_csrf" value="${staff.csrfToken}">
<button type="submit">Launch demo app</button>
</form>`;
}

const parseForm = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });

/**
 * POST /patients/:id/launch-demo-app: creates a launch context in the plugin for the signed-in user and
 * this patient, bound to the demo app, then sends the browser to the app's launch URL with `iss` and
 * `launch` (SMART EHR launch). Same checks as the chart page, then the clinical-access check above.
 */
export function launchDemoAppRoutes(knex: Knex, launcher: LaunchDemoApp): Router {
  const router = express.Router();
  router.post('/patients/:id/launch-demo-app', requireStaff(knex), parseForm, async (req, res) => {
    const staff = staffOf(res);
    if (!hasValidCsrfToken(req)) {
      return send(res, staff, 403, 'Launch failed', html`<h1>Launch failed</h1>
<p class="error" role="alert">The launch form expired or did not come from this site. Open the chart and try again.</p>
<p><a href="/patients">Back to patients</a></p>`);
    }
    // In the chart page's order: no access to charts at all is refused before the id is even looked up.
    if (!staff.permissions.has('View Charts')) return refuse(res, staff, 'the View Charts permission');
    const id = numericId(req, 'id');
    const patient = id === undefined ? undefined : await findPatient(knex, id);
    if (!patient) {
      return send(res, staff, 404, 'Patient not found', html`<h1>Patient not found</h1>
<p>There is no patient with this id. <a href="/patients">Back to patients</a></p>`);
    }
    if (!mayLaunchDemoApp(staff, patient)) return refuse(res, staff, 'the Sensitive Charts permission (this chart is restricted)');
    const { launch } = await launcher.createLaunch({ userId: staff.userId, patientId: String(patient.id), clientId: demoAppClientId });
    const separator = launcher.launchUrl.includes('?') ? '&' : '?';
    res.redirect(303, `${launcher.launchUrl}${separator}iss=${encodeURIComponent(launcher.fhirBaseUrl)}&launch=${encodeURIComponent(launch)}`);
  });
  return router;
}

function refuse(res: Response, staff: StaffMember, needs: string): void {
  send(res, staff, 403, 'Access denied', html`<h1>Access denied</h1>
<p class="error" role="alert">Launching the demo app on this chart requires ${needs}, which your account does not have.</p>
<p><a href="/patients">Back to patients</a></p>`);
}

function send(res: Response, staff: StaffMember, status: number, title: string, body: SafeHtml): void {
  res.status(status).set('Cache-Control', 'no-store').send(renderPage(title, body, staff));
}
