import type { Haven } from '../../app';
import type { MessagingActor } from '../../messaging';
import type { DemoPerson } from './demo-people';

/**
 * Demo messaging: a short thread between the first demo client and their therapist, with a reply
 * read and one still unread, so the inbox shows a count and the thread shows receipts. Makes sure
 * the care relationship it needs exists (assigning is idempotent if clinical's demo step made it).
 */
export async function seedDemoMessages(haven: Haven, people: ReadonlyMap<string, DemoPerson>): Promise<void> {
  const client = people.get('client1');
  const therapist = people.get('therapist1');
  if (!client || !therapist) return;
  if (!(await haven.clinical.care.treatingTherapistIds(client.user.id)).includes(therapist.user.id)) {
    await haven.clinical.care.assign(null, therapist.user.id, client.user.id);
  }
  const as = (p: DemoPerson): MessagingActor => ({ id: p.user.id, roles: p.user.roles, ip: null });
  const threadId = await haven.messaging.inbox.open(as(client), therapist.user.id);
  const { messages } = haven.messaging;
  await messages.send(as(client), threadId, {
    body: 'Hi Dr. Rivera, could we move Thursday’s session to the afternoon? Anything after 2pm works for me.',
  });
  await messages.readThread(as(therapist), threadId);
  await messages.send(as(therapist), threadId, {
    body: 'Hi Riley, yes: Thursday at 3pm is free. I have moved it; you will get an updated invitation.',
  });
  await messages.readThread(as(client), threadId);
  await messages.send(as(therapist), threadId, {
    body: 'Here is the breathing exercise we talked about, as plain text.',
    attachment: {
      bytes: Buffer.from(
        'Box breathing\n\n1. Breathe in for 4 counts.\n2. Hold for 4.\n3. Breathe out for 4.\n4. Hold for 4.\nRepeat 4 times.\n',
      ),
      originalName: 'box-breathing.txt',
    },
  });
  await messages.setAwayNotice(as(therapist), 'Away at a training on Friday; back on Monday.');
}
