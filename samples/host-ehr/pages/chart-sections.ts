import type { Chart, Row } from '../database/chart-queries.ts';
import { html, type SafeHtml } from './html-template.ts';

type Column = [heading: string, cell: (row: Row) => unknown];

/** A titled table; an empty section says so rather than disappearing. */
export function section(title: string, rows: Row[], columns: Column[]): SafeHtml {
  const id = title.toLowerCase().replace(/[^a-z]+/g, '-');
  return html`<section aria-labelledby="${id}">
<h2 id="${id}">${title}</h2>
${rows.length === 0 ? html`<p>None recorded.</p>` : html`<table>
<thead><tr>${columns.map(([heading]) => html`<th scope="col">${heading}</th>`)}</tr></thead>
<tbody>${rows.map((row) => html`<tr>${columns.map(([, cell]) => html`<td>${text(cell(row))}</td>`)}</tr>`)}</tbody>
</table>`}
</section>`;
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Decimals come back as strings from PostgreSQL ("138.00"); show them as numbers. */
function quantity(value: unknown, unit: unknown): string {
  return value === null || value === undefined ? '' : `${Number(value)} ${text(unit)}`.trim();
}

const date = (value: unknown) => text(value).slice(0, 10);

/** Every clinical section of the chart, in the order clinicians read them. */
export function renderChart(chart: Chart): SafeHtml {
  return html`
${section('Problems and health concerns', chart.problems, [
    ['Condition', (r) => `${text(r.display)} (${text(r.code)})`],
    ['Category', (r) => text(r.category).replaceAll('-', ' ')],
    ['Status', (r) => r.clinical_status],
    ['Onset', (r) => r.onset_date],
  ])}
${section('Allergies', chart.allergies, [
    ['Substance', (r) => r.display],
    ['Reaction', (r) => `${text(r.reaction_display)} (${text(r.reaction_severity)})`],
    ['Criticality', (r) => r.criticality],
    ['Status', (r) => r.clinical_status],
  ])}
${section('Medications', chart.medications, [
    ['Medication', (r) => r.display],
    ['Instructions', (r) => r.dosage_text],
    ['Status', (r) => r.status],
    ['Ordered', (r) => date(r.authored_on)],
  ])}
${section('Immunizations', chart.immunizations, [
    ['Vaccine', (r) => `${text(r.display)} (CVX ${text(r.cvx_code)})`],
    ['Date', (r) => r.occurrence_date],
    ['Lot', (r) => r.lot_number],
  ])}
${section('Vital signs', chart.vitals, [
    ['Measurement', (r) => r.display],
    ['Value', (r) => r.systolic != null ? `${Number(r.systolic)}/${Number(r.diastolic)} ${text(r.unit)}` : quantity(r.value, r.unit)],
    ['Date', (r) => date(r.effective_at)],
  ])}
${section('Lab results', chart.labResults, [
    ['Test', (r) => r.display],
    ['Result', (r) => quantity(r.value, r.unit) || r.value_text],
    ['Flag', (r) => (r.interpretation === 'N' ? '' : r.interpretation)],
    ['Panel', (r) => r.report_display],
    ['Date', (r) => date(r.effective_at)],
  ])}
${section('Procedures', chart.procedures, [
    ['Procedure', (r) => r.display],
    ['Date', (r) => date(r.performed_at)],
  ])}
${section('Implanted devices', chart.devices, [
    ['Device', (r) => r.type_display],
    ['UDI', (r) => r.udi_carrier],
    ['Implanted', (r) => r.implanted_on],
    ['Status', (r) => r.status],
  ])}
${section('Care plans', chart.carePlans, [
    ['Plan', (r) => r.title],
    ['Details', (r) => r.description],
    ['Since', (r) => r.period_start],
  ])}
${section('Encounters', chart.encounters, [
    ['Visit', (r) => r.type_display],
    ['Reason', (r) => r.reason],
    ['Date', (r) => date(r.start_at)],
  ])}
${documentsSection(chart.documents)}`;
}

function documentsSection(documents: Row[]): SafeHtml {
  return html`<section aria-labelledby="documents">
<h2 id="documents">Documents</h2>
${documents.length === 0 ? html`<p>None recorded.</p>` : documents.map((doc) => html`<article>
<h3>${text(doc.title)} <small>(${text(doc.type_name)}, ${date(doc.document_date)}, Dr. ${text(doc.author_given)} ${text(doc.author_family)})</small></h3>
<pre>${text(doc.content)}</pre>
</article>`)}
</section>`;
}
