import { FhirRequestError, type FhirResource } from '../../../src/index.ts';

/**
 * Reads the demographics `ehr_patients` holds out of a Patient sent by a client, refusing (422, FHIR R4
 * §3.1.0.4 "Unprocessable Entity") what the table cannot hold faithfully: the schema requires a name, gender,
 * birth date, phone and address, allows one address line of 200 characters, and US two-letter states.
 */
export function patientDemographics(patient: FhirResource): Record<string, string | null> {
  return {
    ...nameColumns(patient.name),
    sex: genderColumn(patient.gender),
    birth_date: birthDateColumn(patient.birthDate),
    ...telecomColumns(patient.telecom),
    ...addressColumns(patient.address),
    ...languageColumn(patient.communication),
  };
}

type Json = Record<string, unknown>;

function unprocessable(issue: 'required' | 'value', message: string): FhirRequestError {
  return new FhirRequestError(422, issue, message);
}

function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((item): item is Json => typeof item === 'object' && item !== null) : [];
}

/** A non-empty string of at most `max` characters, trimmed. */
function text(value: unknown, element: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw unprocessable('required', `${element} is required`);
  if (value.trim().length > max) throw unprocessable('value', `${element} is longer than ${max} characters`);
  return value.trim();
}

function nameColumns(names: unknown) {
  const all = objects(names).filter((name) => name.use !== 'old');
  const name = all.find((candidate) => candidate.use === 'official') ?? all[0];
  const given = Array.isArray(name?.given) ? name.given.filter((part): part is string => typeof part === 'string') : [];
  if (name === undefined || given.length === 0) {
    throw unprocessable('required', 'Patient.name needs a family name and at least one given name');
  }
  return {
    given_name: text(given.join(' '), 'Patient.name.given', 100),
    family_name: text(name.family, 'Patient.name.family', 100),
  };
}

function genderColumn(gender: unknown): string {
  if (gender === undefined) throw unprocessable('required', 'Patient.gender is required');
  if (gender !== 'male' && gender !== 'female' && gender !== 'other' && gender !== 'unknown') {
    throw unprocessable('value', `Patient.gender must be male, female, other or unknown, not ${JSON.stringify(gender)}`);
  }
  return gender;
}

/** The table keeps full dates; a partial date (`1958`) would lose the day the chart shows. */
function birthDateColumn(birthDate: unknown): string {
  if (birthDate === undefined) throw unprocessable('required', 'Patient.birthDate is required');
  const valid = typeof birthDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(birthDate)
    && new Date(`${birthDate}T00:00:00Z`).toISOString().startsWith(birthDate);
  if (!valid) throw unprocessable('value', `Patient.birthDate must be a full date YYYY-MM-DD, not ${JSON.stringify(birthDate)}`);
  if (birthDate > new Date().toISOString().slice(0, 10)) throw unprocessable('value', 'Patient.birthDate is in the future');
  return birthDate;
}

function telecomColumns(telecom: unknown) {
  const points = objects(telecom).filter((point) => point.period === undefined || (point.period as Json).end === undefined);
  const phone = points.find((point) => point.system === 'phone');
  const email = points.find((point) => point.system === 'email');
  if (phone === undefined) throw unprocessable('required', 'Patient.telecom needs a phone number');
  return {
    phone: text(phone.value, 'Patient.telecom phone value', 30),
    email: email === undefined ? null : text(email.value, 'Patient.telecom email value', 254),
  };
}

function addressColumns(addresses: unknown) {
  const current = objects(addresses).filter((address) => address.use !== 'old');
  const address = current.find((candidate) => candidate.use === 'home') ?? current[0];
  if (address === undefined) throw unprocessable('required', 'Patient.address is required');
  const lines = Array.isArray(address.line) ? address.line.filter((line): line is string => typeof line === 'string') : [];
  const state = text(address.state, 'Patient.address.state', 2).toUpperCase();
  if (!/^[A-Z]{2}$/.test(state)) throw unprocessable('value', 'Patient.address.state must be a two-letter US state code');
  return {
    address_line: text(lines.join(', '), 'Patient.address.line', 200),
    city: text(address.city, 'Patient.address.city', 100),
    state,
    postal_code: text(address.postalCode, 'Patient.address.postalCode', 10),
  };
}

/** The preferred language as a BCP 47 tag; without any communication the recorded language stays. */
function languageColumn(communication: unknown): Record<string, string> {
  const all = objects(communication);
  if (all.length === 0) return {};
  const chosen = all.find((entry) => entry.preferred === true) ?? all[0]!;
  const coding = objects((chosen.language as Json | undefined)?.coding).find((code) => code.system === 'urn:ietf:bcp:47');
  const tag = coding === undefined ? undefined : text(coding.code, 'Patient.communication.language code', 10);
  if (tag === undefined || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag)) {
    throw unprocessable('value', 'Patient.communication.language needs a BCP 47 coding (system urn:ietf:bcp:47)');
  }
  return { language: tag };
}
