/** Server-rendered pages of the authorization flow: pure functions from their inputs to an HTML document. */
export { consentPage, type ConsentForm, type ConsentItem } from './consent-page.ts';
export { errorPage, type PageError } from './error-page.ts';
export { formatBirthDate } from './format-birth-date.ts';
export type { ErrorPageFrame, PageFrame } from './page-document.ts';
export {
  patientLabel, patientPickerPage, type PatientChoice, type PatientPickerForm, type PatientSearch,
} from './patient-picker-page.ts';
export { signInPage, type SignInForm, type SignInOption } from './sign-in-page.ts';
export { PAGES_STYLESHEET } from './stylesheet.ts';
