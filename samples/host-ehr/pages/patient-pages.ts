import express, { type Response, type Router } from 'express';
import type { Knex } from 'knex';
import { holdsAny, numericId, requireStaff, staffOf, type StaffMember } from '../auth/staff-access.ts';
import { findPatient, listAppointments, listPatients, loadChart, type PatientSummary, type Row } from '../database/chart-queries.ts';
import { launchDemoAppForm, mayLaunchDemoApp } from '../smart-launch.ts';
import { renderChart, section } from './chart-sections.ts';
import { html, renderPage, type SafeHtml } from './html-template.ts';

/**
 * The patient list and the chart. Access follows the EHR's permissions: Registration or View Charts to
 * find a patient and see demographics, View Charts for clinical sections, Sensitive Charts to open a
 * sensitive chart at all (there is no break-glass), and a confidential document type to read it.
 * With `launchDemoApp`, a chart whose clinical sections the user may see offers "Launch demo app"
 * (an EHR launch of the sample SMART app; the POST route is in ../smart-launch.ts).
 */
export function patientPages(knex: Knex, options: { launchDemoApp?: boolean } = {}): Router {
  const router = express.Router();
  router.use('/patients', requireStaff(knex));

  router.get('/patients', async (_req, res) => {
    const staff = staffOf(res);
    if (!mayFindPatients(staff)) return denied(res, staff);
    const patients = await listPatients(knex);
    send(res, staff, 200, 'Patients', html`<h1>Patients</h1>
<table>
<thead><tr><th scope="col">Name</th><th scope="col">MRN</th><th scope="col">Date of birth</th><th scope="col">Sex</th></tr></thead>
<tbody>${patients.map((p) => html`<tr>
<td><a href="/patients/${String(p.id)}">${p.name}</a>${p.isSensitive ? html` <span class="badge">Restricted</span>` : ''}</td>
<td>${p.mrn}</td><td>${p.birthDate}</td><td>${p.sex}</td></tr>`)}</tbody>
</table>`);
  });

  router.get('/patients/:id', async (req, res) => {
    const staff = staffOf(res);
    if (!mayFindPatients(staff)) return denied(res, staff);
    const id = numericId(req, 'id');
    const patient = id === undefined ? undefined : await findPatient(knex, id);
    if (!patient) {
      return send(res, staff, 404, 'Patient not found', html`<h1>Patient not found</h1>
<p>There is no patient with this id. <a href="/patients">Back to patients</a></p>`);
    }
    if (patient.isSensitive && !staff.permissions.has('Sensitive Charts')) {
      return send(res, staff, 403, 'Restricted chart', html`<h1>Restricted chart</h1>
<p class="error" role="alert">This chart is restricted. Opening it requires the Sensitive Charts permission,
which your account does not have. Ask your EHR administrator if you need access.</p>
<p><a href="/patients">Back to patients</a></p>`);
    }
    const clinical = staff.permissions.has('View Charts')
      ? renderChart(await loadChart(knex, patient.id, staff.documentTypes))
      : html`<p class="notice">Clinical information requires the View Charts permission.</p>`;
    const appointments = staff.permissions.has('Schedule')
      ? section('Appointments', await listAppointments(knex, patient.id), [
        ['When', (r) => String(r.start_at).replace('T', ' ').slice(0, 16)],
        ['Status', (r) => r.status],
        ['Service', (r) => r.service_type],
        ['Reason', (r) => r.reason],
        ['With', (r) => `Dr. ${String(r.provider_family)}`],
      ])
      : '';
    send(res, staff, 200, patient.name, html`<h1>${patient.name}
${patient.isSensitive ? html`<span class="badge">Sensitive chart</span>` : ''}</h1>
${options.launchDemoApp && mayLaunchDemoApp(staff, patient) ? launchDemoAppForm(staff, patient) : ''}
${demographics(patient, patient.row)}
${appointments}
${clinical}`);
  });

  return router;
}

function mayFindPatients(staff: StaffMember): boolean {
  return holdsAny(staff, 'Registration', 'View Charts');
}

function demographics(patient: PatientSummary, row: Row): SafeHtml {
  const field = (label: string, value: unknown) => html`<tr><th scope="row">${label}</th><td>${value == null ? '' : String(value)}</td></tr>`;
  return html`<section aria-labelledby="demographics">
<h2 id="demographics">Demographics</h2>
<table>
${field('MRN', patient.mrn)}
${field('Date of birth', patient.birthDate)}
${field('Sex', patient.sex)}
${field('Address', `${String(row.address_line)}, ${String(row.city)}, ${String(row.state)} ${String(row.postal_code)}`)}
${field('Phone', row.phone)}
${field('Email', row.email)}
${field('Preferred language', row.language)}
</table>
</section>`;
}

function denied(res: Response, staff: StaffMember): void {
  send(res, staff, 403, 'Access denied', html`<h1>Access denied</h1>
<p class="error" role="alert">Your account does not have access to patient records
(it needs the Registration or View Charts permission).</p>`);
}

/** Every page here shows PHI: never cache it, in the browser or anywhere between. */
function send(res: Response, staff: StaffMember, status: number, title: string, body: SafeHtml): void {
  res.status(status).set('Cache-Control', 'no-store').send(renderPage(title, body, staff));
}
