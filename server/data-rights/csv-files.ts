import { toDecimal } from '../billing';
import { MEASURES } from '../clinical';
import type { SubjectData } from './data-rights.types';
import { careCsvFiles } from './care-summary';
import { csv } from './csv-writer';

/** Charges, invoices and payments, amounts as exact decimals of the clinic's currency. */
function billingFiles(data: SubjectData): Record<string, Buffer> {
  const b = data.billing;
  if (!b) return {};
  const money = (minor: number) => toDecimal(minor, b.currency);
  const number = new Map(b.invoices.map((i) => [i.id, i.number]));
  return {
    'billing-charges.csv': csv(
      [
        'id',
        'date_of_service',
        'service_code',
        'service',
        'units',
        'unit_fee',
        'amount',
        'currency',
        'place_of_service',
        'modifiers',
        'diagnoses',
        'invoice_number',
      ],
      b.charges.map((c) => [
        c.id,
        c.dateOfService,
        c.serviceCode,
        c.serviceDescription,
        c.units,
        money(c.unitFeeMinor),
        money(c.amountMinor),
        b.currency,
        c.placeOfService,
        c.modifiers.join(' '),
        c.diagnoses.map((d) => d.code).join(' '),
        c.invoiceId ? number.get(c.invoiceId) : '',
      ]),
    ),
    'billing-invoices.csv': csv(
      ['id', 'number', 'issued_on', 'due_on', 'total', 'currency'],
      b.invoices.map((i) => [i.id, i.number, i.issuedOn, i.dueOn, money(i.totalMinor), i.currency]),
    ),
    'billing-payments.csv': csv(
      ['id', 'invoice_number', 'kind', 'method', 'amount', 'currency', 'received_on', 'reference'],
      b.payments.map((p) => [
        p.id,
        number.get(p.invoiceId),
        p.kind,
        p.method,
        money(p.amountMinor),
        b.currency,
        p.receivedOn,
        p.reference,
      ]),
    ),
  };
}

export function buildCsvFiles(data: SubjectData): Record<string, Buffer> {
  const name = (id: string) => (id === data.client.id ? data.client.displayName : (data.names.get(id) ?? ''));
  const c = data.client;
  return {
    ...careCsvFiles(data, name),
    ...billingFiles(data),
    'profile.csv': csv(
      ['id', 'display_name', 'full_name', 'email', 'time_zone', 'language', 'created_at'],
      [[c.id, c.displayName, c.fullName, c.email, c.timeZone, c.language, c.createdAt]],
    ),
    'appointments.csv': csv(
      ['id', 'start', 'end', 'status', 'format', 'type', 'therapist', 'reason'],
      data.appointments.map((a) => [
        a.id,
        a.start,
        a.end,
        a.status,
        a.format,
        a.typeName,
        name(a.therapistId),
        a.reason,
      ]),
    ),
    'measures.csv': csv(
      ['id', 'measure', 'submitted_at', 'source', 'total', 'max_score', 'severity', 'answers'],
      data.clinical.measures.map((m) => [
        m.id,
        MEASURES[m.measure].name,
        m.submittedAt,
        m.source,
        m.total,
        MEASURES[m.measure].maxScore,
        m.severityLabel,
        m.answers.join(' '),
      ]),
    ),
    'messages.csv': csv(
      ['id', 'thread_id', 'thread_kind', 'sent_at', 'from', 'body', 'retracted_at', 'attachments'],
      data.messaging.messages.map((m) => [
        m.id,
        m.threadId,
        data.messaging.threads.find((t) => t.id === m.threadId)?.kind ?? '',
        m.createdAt,
        name(m.senderId),
        m.body,
        m.retractedAt,
        data.messaging.attachments
          .filter((a) => a.messageId === m.id)
          .map((a) => a.name)
          .join('; '),
      ]),
    ),
    'session-chat.csv': csv(
      ['id', 'room_id', 'sent_at', 'from', 'body'],
      data.chat.map((m) => [m.id, m.roomId, m.createdAt, name(m.senderId), m.body]),
    ),
    'notes.csv': csv(
      ['id', 'kind', 'note_id', 'author', 'date', 'appointment_id', 'section', 'text'],
      data.clinical.notes.flatMap((n) => [
        ...Object.entries(n.body).map(([section, text]) => [
          n.id,
          `note (${n.template.toUpperCase()})`,
          n.id,
          name(n.authorId),
          n.signedAt,
          n.appointmentId,
          section,
          text,
        ]),
        ...n.addenda.map((a) => [
          a.id,
          'addendum',
          n.id,
          name(a.authorId),
          a.createdAt,
          n.appointmentId,
          `reason: ${a.reason}`,
          a.body,
        ]),
      ]),
    ),
  };
}
