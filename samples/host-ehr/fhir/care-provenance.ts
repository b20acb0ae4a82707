import type { Knex } from 'knex';
import type {
  AccessRestrictions, FhirResource, ProvidedResource, ReferenceValue, ResourceProvider, SearchCriterion, TokenValue,
} from '../../../src/index.ts';
import { chartResource } from './provided-resource.ts';
import {
  parseProvenanceId, provenanceTargets, provenanceTargetTypes, rowIdsReferenced, targetKey, targetResourceId,
  type ProvenanceTarget,
} from './provenance-targets.ts';
import { coreSearchParameters, usCoreProfile } from './search-parameters.ts';
import { whereReference } from './criteria-sql.ts';
import { applyRestrictions, pageOf } from './search-sql.ts';

const core = coreSearchParameters('Provenance');

const participantType = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';

/**
 * US Core Provenance (6.1), one per clinical row (see provenance-targets.ts). A Provenance carries its target's
 * patient and confidential document type, and the target's restrictions apply to it: the Provenance of a hidden
 * resource is hidden too. `patient` is read as the target's patient compartment.
 */
export function provenanceProvider(knex: Knex): ResourceProvider {
  return {
    resourceType: 'Provenance',
    profiles: [usCoreProfile('us-core-provenance')],
    searchParameters: [
      { name: '_id', type: 'token', definition: coreSearchParameters('Resource')('id'), documentation: 'The logical id of the resource.' },
      { name: 'target', type: 'reference', definition: core('target'), targets: provenanceTargetTypes },
      {
        name: 'patient', type: 'reference', definition: core('patient'), targets: ['Patient'],
        documentation: "The target's patient: every Provenance of the sample is about one patient's chart.",
      },
    ],
    async read(id, { restrictions }) {
      const parsed = parseProvenanceId(id);
      if (parsed === undefined) return undefined;
      const row = (await targetRows(knex, parsed.target, restrictions).where('r.id', parsed.rowId).first()) as Record<string, unknown> | undefined;
      return row ? toProvenance(row, await practiceOf(knex)) : undefined;
    },
    async search({ criteria, offset, count, restrictions }) {
      const branches = provenanceTargets
        .map((target) => filteredRows(knex, target, restrictions, criteria))
        .filter((branch): branch is Knex.QueryBuilder => branch !== undefined);
      const [first, ...rest] = branches;
      if (first === undefined) return { resources: [], total: 0 };
      // Not wrapped in parentheses: SQLite rejects parenthesized members of a compound SELECT.
      const union = rest.length > 0 ? first.unionAll(rest, false) : first;
      const query = knex.select('*').from(union.as('p'));
      const page = await pageOf(query, [{ column: 'p.target_key' }, { column: 'p.target_id' }], offset, count, (row) => row);
      const practice = page.rows.length > 0 ? await practiceOf(knex) : 0;
      return { resources: page.rows.map((row) => toProvenance(row, practice)), total: page.total };
    },
  };
}

/** One table's rows as Provenance columns, restricted; undefined when the criteria rule the whole table out. */
function filteredRows(
  knex: Knex, target: ProvenanceTarget, restrictions: AccessRestrictions, criteria: readonly SearchCriterion[],
): Knex.QueryBuilder | undefined {
  const query = targetRows(knex, target, restrictions);
  for (const criterion of criteria) {
    if (criterion.name === 'patient') {
      whereReference(query, 'r.patient_id', 'Patient', criterion.values);
      continue;
    }
    const rowIds = criterion.name === 'target'
      ? rowIdsReferenced(target, criterion.values as ReferenceValue[])
      : criterion.values.map((value) => parseProvenanceId((value as TokenValue).code))
        .filter((parsed) => parsed?.target === target).map((parsed) => parsed!.rowId);
    if (rowIds.length === 0) return undefined;
    query.whereIn('r.id', rowIds);
  }
  return query;
}

/** A table's rows with the same column names for every table, so the branches can be UNION ALL'ed. */
function targetRows(knex: Knex, target: ProvenanceTarget, restrictions: AccessRestrictions): Knex.QueryBuilder {
  const query = knex(`${target.table} as r`).select(
    // Typed, so that PostgreSQL, which resolves a UNION's column types branch by branch, finds them alike.
    knex.raw('CAST(? AS VARCHAR(40)) as target_key', [targetKey(target)]),
    'r.id as target_id', 'r.patient_id as patient_id', `r.${target.recorded} as recorded`,
    target.author ? `r.${target.author} as author_id` : knex.raw('CAST(NULL AS INTEGER) as author_id'),
    'ct.name as doc_type_name', 'ct.is_confidential as doc_type_confidential',
  );
  if (target.document === undefined) {
    // Never matches, but gives the type columns their real types (boolean or bit) without a dialect-specific cast.
    query.leftJoin('ehr_document_types as ct', (on) => on.on(knex.raw('1 = 0')));
  } else {
    query.leftJoin('ehr_documents as cd', 'cd.id', `r.${target.document}`)
      .leftJoin('ehr_document_types as ct', 'ct.id', 'cd.document_type_id');
  }
  applyRestrictions(query, restrictions, {
    patient: `r.${target.patient}`, document: target.document === undefined ? undefined : `r.${target.document}`,
  });
  return query;
}

/** The practice's organisation: the author of record of everything in its charts. */
async function practiceOf(knex: Knex): Promise<number> {
  const row = (await knex('ehr_organization').select('id').orderBy('id').first()) as { id: number | string } | undefined;
  return Number(row?.id);
}

function toProvenance(row: Record<string, unknown>, practice: number): ProvidedResource {
  const target = provenanceTargets.find((candidate) => targetKey(candidate) === String(row.target_key))!;
  const rowId = Number(row.target_id);
  const author = { coding: [{ system: participantType, code: 'author', display: 'Author' }] };
  const organization = { reference: `Organization/${practice}` };
  const agent: unknown[] = [];
  // US Core provenance-1: a Practitioner agent says on whose behalf it acted.
  if (row.author_id != null) agent.push({ type: author, who: { reference: `Practitioner/${String(row.author_id)}` }, onBehalfOf: organization });
  agent.push({ type: author, who: organization });
  const resource: FhirResource = {
    resourceType: 'Provenance',
    id: `${targetKey(target)}-${rowId}`,
    meta: { profile: [usCoreProfile('us-core-provenance')] },
    target: [{ reference: `${target.resourceType}/${targetResourceId(target, rowId)}` }],
    recorded: String(row.recorded),
    agent,
  };
  return chartResource(row, resource);
}
