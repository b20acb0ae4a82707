// Standalone launch: the app starts on its own and asks the EHR to choose the patient (launch/patient).
// The FHIR server is the one the serving EHR wrote into <meta name="fhir-base">; only when that is empty
// (the app served by something else) does the ?iss= query parameter say which server to use.
'use strict';

(() => {
  const status = document.getElementById('status');
  const alertBox = document.getElementById('error');

  const fail = window.demoAppMessages.failer(status, alertBox);
  const { reason } = window.demoAppMessages;

  if (!window.FHIR) {
    fail('The app could not start: the SMART client library did not load. Reload the page to try again.');
    return;
  }
  const meta = document.querySelector('meta[name="fhir-base"]');
  const iss = (meta && meta.content.trim()) || new URLSearchParams(window.location.search).get('iss') || '';
  if (!/^https?:\/\//.test(iss)) {
    fail('The app does not know which FHIR server to use: open it from the EHR, or add ?iss=<FHIR base URL> to the address.');
    return;
  }

  window.FHIR.oauth2.authorize({
    clientId: 'demo-app',
    scope: 'launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs offline_access',
    iss,
    redirectUri: './',
    pkceMode: 'required',
  }).catch((error) => {
    fail(`Sign-in could not start: ${reason(error)}. Reload the page to try again.`);
  });
})();
