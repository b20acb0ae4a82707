// EHR launch: the EHR opens this page with ?iss=<FHIR base>&launch=<opaque id>. fhirclient reads both
// from the address, discovers the authorization endpoints from the FHIR server, and sends the browser
// to the EHR's authorize endpoint (PKCE S256). The EHR sends it back to ./ (index.html) with a code.
'use strict';

(() => {
  const status = document.getElementById('status');
  const alertBox = document.getElementById('error');

  const fail = window.demoAppMessages.failer(status, alertBox);
  const { reason } = window.demoAppMessages;

  if (!window.FHIR) {
    fail('The app could not start: the SMART client library did not load. Reload the page, or launch the app again from the EHR.');
    return;
  }
  const query = new URLSearchParams(window.location.search);
  if (!query.get('iss') || !query.get('launch')) {
    fail('This page must be opened by the EHR (it needs the "iss" and "launch" parameters). ' +
      'Launch the app from a patient\'s chart in the EHR, or start it on its own from /apps/demo/standalone.');
    return;
  }

  window.FHIR.oauth2.authorize({
    clientId: 'demo-app',
    scope: 'launch openid fhirUser patient/Patient.rs patient/Condition.rs',
    redirectUri: './',
    pkceMode: 'required',
  }).catch((error) => {
    fail(`The app could not be launched: ${reason(error)}. ` +
      'Launch it again from the EHR.');
  });
})();
