// The redirect page: fhirclient exchanges the authorization code for a token (with the PKCE verifier it
// kept in sessionStorage), then the app reads the patient in context and their conditions.
// Everything from the server is written with textContent, never as HTML.
'use strict';

(() => {
  const heading = document.getElementById('patient-name');
  const status = document.getElementById('status');
  const alertBox = document.getElementById('error');
  const section = document.getElementById('conditions-section');
  const list = document.getElementById('conditions');
  const none = document.getElementById('no-conditions');

  const fail = window.demoAppMessages.failer(status, alertBox);
  const { reason } = window.demoAppMessages;

  /** The patient's name as people read it: the official (else usual, else first) name. */
  function patientName(patient) {
    const names = Array.isArray(patient.name) ? patient.name : [];
    const name = names.find((n) => n.use === 'official') || names.find((n) => n.use === 'usual') || names[0];
    if (!name) return 'Unnamed patient';
    if (name.text) return name.text;
    const parts = [...(Array.isArray(name.given) ? name.given : []), name.family].filter(Boolean);
    return parts.length ? parts.join(' ') : 'Unnamed patient';
  }

  /** Resources out of whatever came back: a Bundle, an array of Bundles (pages) or an array of resources. */
  function resourcesIn(result) {
    if (!result) return [];
    if (Array.isArray(result)) return result.flatMap(resourcesIn);
    if (result.resourceType === 'Bundle') return (result.entry || []).map((entry) => entry.resource).filter(Boolean);
    return [result];
  }

  function conditionLabel(condition) {
    const code = condition.code || {};
    if (code.text) return code.text;
    const coding = (code.coding || []).find((c) => c.display) || (code.coding || [])[0];
    if (coding) return coding.display || coding.code || 'Unnamed condition';
    return 'Unnamed condition';
  }

  async function main() {
    if (!window.FHIR) {
      fail('The app could not start: the SMART client library did not load. Reload the page, or launch the app again.');
      return;
    }
    let client;
    try {
      client = await window.FHIR.oauth2.ready();
    } catch (error) {
      fail(`Sign-in to the EHR did not complete: ${reason(error)}. Launch the app again from the EHR, or start it on its own from /apps/demo/standalone.`);
      return;
    }
    let patient;
    try {
      patient = await client.patient.read();
    } catch (error) {
      fail(`The patient could not be read: ${reason(error)}.`);
      return;
    }
    const name = patientName(patient);
    heading.textContent = name;
    document.title = `${name} | Demo SMART app`;
    status.textContent = 'Loading conditions…';

    let conditions;
    try {
      const result = await client.request(`Condition?patient=${encodeURIComponent(client.patient.id)}`, { pageLimit: 0, flat: true });
      conditions = resourcesIn(result).filter((resource) => resource.resourceType === 'Condition');
    } catch (error) {
      fail(`The conditions of ${name} could not be read: ${reason(error)}.`);
      return;
    }
    list.replaceChildren(...conditions.map((condition) => {
      const item = document.createElement('li');
      item.textContent = conditionLabel(condition);
      return item;
    }));
    none.hidden = conditions.length > 0;
    section.hidden = false;
    status.hidden = true;
  }

  main().catch((error) => fail(`Something went wrong: ${reason(error)}.`));
})();
