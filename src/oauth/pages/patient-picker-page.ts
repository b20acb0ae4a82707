import { formatBirthDate } from './format-birth-date.ts';
import { html } from './html.ts';
import { alertMessage, pageDocument, transactionFields, type PageFrame } from './page-document.ts';

/** A chart the user may open, as the picker lists it. */
export interface PatientChoice {
  id: string;
  name: string;
  /** A FHIR date, or null when the chart has none. */
  birthDate: string | null;
}

/** The name search offered to staff, whose charts are too many to list. */
export interface PatientSearch {
  query: string;
  searchAction: string;
}

export interface PatientPickerForm {
  action: string;
  transactionId: string;
  csrfToken: string;
  patients: PatientChoice[];
  search?: PatientSearch;
  error?: string;
}

/** The label that tells two patients of the same name apart. */
export function patientLabel(patient: PatientChoice): string {
  const born = patient.birthDate === null ? 'birth date unknown' : `born ${formatBirthDate(patient.birthDate)}`;
  return `${patient.name} (${born})`;
}

function searchForm(search: PatientSearch, transactionId: string) {
  return html`<form method="get" action="${search.searchAction}" role="search" class="search">
<input type="hidden" name="transaction_id" value="${transactionId}">
<div class="field">
<label for="patient-name">Patient name</label>
<input type="search" id="patient-name" name="name" autocomplete="off" value="${search.query}">
</div>
<button type="submit" class="secondary">Search</button>
</form>`;
}

function choiceForm(form: PatientPickerForm) {
  // No radio is checked up front: opening the wrong chart must take a deliberate choice.
  const choices = form.patients.map((patient, i) => html`<div class="choice">
<input type="radio" id="patient-${i}" name="patient" value="${patient.id}" required>
<label for="patient-${i}">${patientLabel(patient)}</label>
</div>
`);
  return html`<form method="post" action="${form.action}">
${transactionFields(form.transactionId, form.csrfToken)}
<fieldset>
<legend>Patient</legend>
${choices}</fieldset>
<div class="actions">
<button type="submit">Continue</button>
</div>
</form>`;
}

/**
 * The patient picker of a standalone launch with `launch/patient` (SMART App Launch 2.x, "Launch
 * context arrives with your access_token"): it lists only the charts the user may open.
 */
export function patientPickerPage(frame: PageFrame, form: PatientPickerForm): string {
  const empty = form.search === undefined ? 'There are no charts you may open.' : 'No patients match.';
  return pageDocument(frame, 'Choose a patient', html`<h1>Choose a patient</h1>
${alertMessage(form.error)}
${form.search !== undefined && searchForm(form.search, form.transactionId)}
${form.patients.length === 0 ? html`<p class="empty" role="status">${empty}</p>` : choiceForm(form)}`);
}
