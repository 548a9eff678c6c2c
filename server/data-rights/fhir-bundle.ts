import { MEASURES } from '../clinical';
import type { AppointmentStatus } from '../scheduling';
import type { SubjectData } from './data-rights.types';
import { careResources, TOTAL_SCORE_LOINC } from './fhir-care';

/**
 * The export's FHIR R4 bundle: a `collection` of Patient, Practitioner (the therapists named in it),
 * Appointment, QuestionnaireResponse, Observation (each questionnaire's total score), and care
 * planning's Condition, Goal and CarePlan (fhir-care.ts).
 *
 * Every entry's fullUrl is `urn:uuid:<id>` (Haven ids are UUIDs) and every reference inside the
 * bundle is that fullUrl, which is how FHIR resolves references between entries of a bundle whose
 * resources have no server address (R4 §2.36.4 "Resolving references in Bundles").
 */
type Resource = Record<string, unknown> & { resourceType: string; id: string };

interface Entry {
  readonly fullUrl: string;
  readonly resource: Resource;
}

export interface FhirBundle {
  readonly resourceType: 'Bundle';
  readonly id: string;
  readonly type: 'collection';
  readonly timestamp: string;
  readonly entry: readonly Entry[];
}

const ref = (id: string, type: string, display?: string) => ({
  reference: `urn:uuid:${id}`,
  type,
  ...(display ? { display } : {}),
});

/** Haven's statuses in FHIR's Appointment.status value set. */
const APPOINTMENT_STATUS: Record<AppointmentStatus, string> = {
  requested: 'proposed',
  confirmed: 'booked',
  completed: 'fulfilled',
  cancelled: 'cancelled',
  declined: 'cancelled',
  no_show: 'noshow',
};

export function buildFhirBundle(data: SubjectData, bundleId: string): FhirBundle {
  const entries: Entry[] = [];
  const add = (resource: Resource) => entries.push({ fullUrl: `urn:uuid:${resource.id}`, resource });
  const client = data.client;
  const patient = ref(client.id, 'Patient', client.displayName);

  add({
    resourceType: 'Patient',
    id: client.id,
    active: client.status === 'active',
    name: [{ text: client.fullName ?? client.displayName }],
    telecom: [{ system: 'email', value: client.email }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: client.language }] } }],
  });

  const practitioners = new Set([
    ...data.appointments.map((a) => a.therapistId),
    ...data.care.plans.map((p) => p.therapistId),
    ...data.care.diagnoses.map((d) => d.recordedBy),
  ]);
  for (const id of practitioners) {
    add({ resourceType: 'Practitioner', id, name: [{ text: data.names.get(id) ?? 'Therapist' }] });
  }

  for (const a of data.appointments) {
    add({
      resourceType: 'Appointment',
      id: a.id,
      status: APPOINTMENT_STATUS[a.status],
      serviceType: [{ text: a.typeName }],
      start: a.start.toISOString(),
      end: a.end.toISOString(),
      created: a.createdAt.toISOString(),
      ...(a.reason ? { comment: a.reason } : {}),
      participant: [
        { actor: patient, status: 'accepted' },
        { actor: ref(a.therapistId, 'Practitioner', data.names.get(a.therapistId)), status: 'accepted' },
      ],
    });
  }

  for (const m of data.clinical.measures) {
    const definition = MEASURES[m.measure];
    add({
      resourceType: 'QuestionnaireResponse',
      id: m.id,
      status: 'completed',
      subject: patient,
      authored: m.submittedAt.toISOString(),
      author: patient,
      item: m.answers.map((answer, i) => ({
        linkId: String(i + 1),
        text: definition.items[i],
        answer: [{ valueInteger: answer }],
      })),
    });
    const loinc = TOTAL_SCORE_LOINC[m.measure] as { code: string; display: string } | undefined;
    // The Observation's id is derived, not random, so a re-export names the same score the same way.
    const observationId = derivedUuid(m.id);
    add({
      resourceType: 'Observation',
      id: observationId,
      status: 'final',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/observation-category',
              code: 'survey',
              display: 'Survey',
            },
          ],
        },
      ],
      code: {
        ...(loinc ? { coding: [{ system: 'http://loinc.org', ...loinc }] } : {}),
        text: `${definition.name} total score`,
      },
      subject: patient,
      effectiveDateTime: m.submittedAt.toISOString(),
      valueInteger: m.total,
      interpretation: [{ text: m.severityLabel }],
      derivedFrom: [ref(m.id, 'QuestionnaireResponse')],
    });
  }

  for (const resource of careResources(data, patient)) add(resource);

  return {
    resourceType: 'Bundle',
    id: bundleId,
    type: 'collection',
    timestamp: data.generatedAt.toISOString(),
    entry: entries,
  };
}

/** A stable second UUID from a UUID (flip the first hex digit's low bit pattern), still a valid UUID. */
function derivedUuid(id: string): string {
  const first = parseInt(id[0] ?? '0', 16);
  return `${((first + 8) % 16).toString(16)}${id.slice(1)}`;
}
