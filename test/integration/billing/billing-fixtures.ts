import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFParse } from 'pdf-parse';
import type { User } from '../../../server/accounts';
import type { Haven } from '../../../server/app';
import type { BillingActor, FeeProgram, Service } from '../../../server/billing';
import type { FakeClock } from '../../../server/shared/clock';
import { createPerson, type TestPerson } from '../../support/accounts';
import { makeTempDir } from '../../support/temp-dir';
import { actor, individualType, treat, weekdayHours } from '../scheduling/scheduling-fixtures';

/** NPIs whose last digit passes the Luhn check over 80840 + the first nine (CMS's rule). */
export const THERAPIST_NPI = '1234567893';
export const CLINIC_NPI = '1987654328';

export const billingActor = (user: User): BillingActor => ({
  id: user.id,
  roles: user.roles,
  ip: '127.0.0.1',
});

/** A small clinic: an admin, a therapist treating clients A and B, a peer supporter, USD prices and a sliding scale. */
export interface BillingClinic {
  /** Each person with their password (and TOTP secret), to sign in through the real forms. */
  readonly people: Readonly<Record<'admin' | 'therapist' | 'clientA' | 'clientB' | 'peer', TestPerson>>;
  readonly admin: User;
  readonly therapist: User;
  readonly clientA: User;
  readonly clientB: User;
  readonly peer: User;
  /** 90834 (the 50-minute individual type bills as it). */
  readonly session: Service;
  /** "Band B": 90834 at 60.00 instead of the standard 150.00. */
  readonly bandB: FeeProgram;
  readonly typeId: string;
}

export async function billingClinic(haven: Haven): Promise<BillingClinic> {
  const people = {
    admin: await createPerson(haven, { roles: ['admin'], displayName: 'Ada Admin' }),
    therapist: await createPerson(haven, { roles: ['therapist'], displayName: 'Theo Therapist' }),
    clientA: await createPerson(haven, { roles: ['client'], displayName: 'Asha Client' }),
    clientB: await createPerson(haven, { roles: ['client'], displayName: 'Ben Client' }),
    peer: await createPerson(haven, { roles: ['peer_supporter'], displayName: 'Pia Peer' }),
  };
  const [admin, therapist, clientA, clientB, peer] = [
    people.admin.user,
    people.therapist.user,
    people.clientA.user,
    people.clientB.user,
    people.peer.user,
  ];
  await weekdayHours(haven, therapist, 'America/New_York');
  const type = await individualType(haven, admin);
  await treat(haven, therapist, clientA, clientB);
  const a = billingActor(admin);
  const services = await haven.billing.catalog.services();
  const byCode = (code: string) => services.find((s) => s.code === code)!;
  const session = await haven.billing.catalog.saveService(a, byCode('90834').id, {
    code: '90834',
    description: 'Individual therapy, about 45 minutes',
    durationMinutes: '45',
    fee: '150.00',
    role: 'session',
    active: 'on',
  });
  for (const [code, fee] of [
    ['NO-SHOW', '40'],
    ['LATE-CANCEL', '25.50'],
  ] as const) {
    await haven.billing.catalog.saveService(a, byCode(code).id, {
      code,
      description: byCode(code).description,
      fee,
      role: byCode(code).role,
      active: 'on',
    });
  }
  const bandB = await haven.billing.catalog.saveProgram(a, null, {
    name: 'Band B',
    description: 'Household income under 40,000',
    [`price_${session.id}`]: '60.00',
  });
  await haven.billing.catalog.saveProgram(a, null, { name: 'Pro bono', [`price_${session.id}`]: '0' });
  await haven.billing.catalog.saveSettings(a, {
    currency: 'USD',
    telehealthModifier: 'on',
    invoicing: 'on_demand',
    paymentTermsDays: '30',
    chargeLateCancel: 'on',
    chargeNoShow: 'on',
    clinicNpi: '',
    taxNumber: '12-3456789',
    address: '1 Quiet Street, Springfield',
  });
  await haven.billing.accounts.setProgram(a, clientA.id, bandB.id);
  return { people, admin, therapist, clientA, clientB, peer, session, bandB, typeId: type.id };
}

/** Books a confirmed appointment for `client` at `start` (the therapist books it). */
export async function bookSession(
  haven: Haven,
  c: BillingClinic,
  client: User,
  start: string,
): Promise<string> {
  const a = await haven.scheduling.booking.bookForClient(actor(c.therapist), {
    typeId: c.typeId,
    clientIds: [client.id],
    start,
  });
  return a.id;
}

/** Books, moves the clock past the start and completes the appointment: billing's event fires. */
export async function attendedSession(
  haven: Haven,
  clock: FakeClock,
  c: BillingClinic,
  client: User,
  start: string,
): Promise<string> {
  const id = await bookSession(haven, c, client, start);
  clock.set(new Date(Date.parse(start) + 50 * 60_000));
  await haven.scheduling.booking.complete(actor(c.therapist), id);
  return id;
}

/**
 * `count` new clients of the therapist, each with one attended session between 4 and 6 March 2026
 * (charged), the clock left on 7 March: ready for that many invoices at once.
 */
export async function clientsWithCharges(
  haven: Haven,
  clock: FakeClock,
  c: BillingClinic,
  count: number,
): Promise<User[]> {
  const clients = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      createPerson(haven, {
        roles: ['client'],
        timeZone: 'America/New_York',
        displayName: `Racer ${i}`,
      }).then((p) => p.user),
    ),
  );
  await treat(haven, c.therapist, ...clients);
  for (const [i, client] of clients.entries()) {
    const day = 4 + (i % 3);
    const hour = 13 + Math.floor(i / 3);
    await bookSession(haven, c, client, `2026-03-0${day}T${String(hour).padStart(2, '0')}:00:00.000Z`);
  }
  clock.set('2026-03-07T12:00:00Z');
  for (const a of await haven.scheduling.booking.listFor(actor(c.therapist), 'past')) {
    if (a.status === 'confirmed') await haven.scheduling.booking.complete(actor(c.therapist), a.id);
  }
  await haven.billing.charges.sweep();
  return clients;
}

/** The whole text of a PDF (pdf-parse, over pdf.js). */
export async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

/**
 * Renders page 1 with Debian's pdftoppm (poppler-utils): the share of pixels that are not white,
 * from a greyscale PGM; and a PNG copy under `screensDir` (when given) for a person to look at.
 */
export function inkOnFirstPage(pdf: Buffer, pngName?: string): number {
  const temp = makeTempDir();
  try {
    const input = join(temp.dir, 'doc.pdf');
    writeFileSync(input, pdf);
    const run = spawnSync('pdftoppm', [
      '-gray',
      '-r',
      '40',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      input,
      join(temp.dir, 'page'),
    ]);
    if (run.status !== 0) throw new Error(`pdftoppm failed: ${run.stderr.toString()}`);
    const pgm = readFileSync(join(temp.dir, 'page.pgm'));
    const pixels = pgmPixels(pgm);
    let inked = 0;
    for (const value of pixels) if (value < 200) inked += 1;
    if (pngName && process.env.BILLING_SCREENS_DIR) {
      mkdirSync(process.env.BILLING_SCREENS_DIR, { recursive: true });
      spawnSync('pdftoppm', [
        '-png',
        '-r',
        '80',
        '-f',
        '1',
        '-l',
        '1',
        '-singlefile',
        input,
        join(process.env.BILLING_SCREENS_DIR, pngName),
      ]);
    }
    return inked / pixels.length;
  } finally {
    temp.remove();
  }
}

/** The pixel bytes of a binary PGM (P5, 8-bit): header "P5 width height maxval" then one byte a pixel. */
function pgmPixels(pgm: Buffer): Uint8Array {
  let offset = 0;
  const tokens: string[] = [];
  while (tokens.length < 4) {
    while (/\s/.test(String.fromCharCode(pgm[offset]!))) offset += 1;
    let token = '';
    while (!/\s/.test(String.fromCharCode(pgm[offset]!))) token += String.fromCharCode(pgm[offset++]!);
    tokens.push(token);
  }
  offset += 1; // the single whitespace after maxval
  if (tokens[0] !== 'P5') throw new Error('not a binary PGM');
  const width = Number(tokens[1]);
  const height = Number(tokens[2]);
  return new Uint8Array(pgm.subarray(offset, offset + width * height));
}
