import { mailWordsOf } from '../../i18n';
import type { Haven } from '../../app';
import { createClinical, type ClinicalActor } from '../../clinical';
import { FakeClock } from '../../shared/clock';
import { createLogger } from '../../shared/logger';
import type { DemoPerson } from './demo-people';

const DAY = 86_400_000;

/** Riley's PHQ-9 and GAD-7 answers every two weeks from intake: a believable, uneven improvement. */
const COURSE: readonly { phq9: number[]; gad7: number[] }[] = [
  { phq9: [2, 2, 2, 2, 1, 2, 1, 1, 0], gad7: [3, 2, 2, 2, 1, 2, 1] }, // intake: 13 moderate / 13 moderate
  { phq9: [2, 2, 2, 1, 1, 2, 1, 1, 0], gad7: [2, 2, 2, 2, 1, 2, 1] },
  { phq9: [2, 1, 2, 1, 1, 1, 1, 1, 0], gad7: [2, 2, 2, 1, 1, 1, 1] },
  { phq9: [1, 2, 1, 1, 1, 1, 1, 0, 0], gad7: [2, 2, 1, 2, 1, 1, 1] },
  { phq9: [1, 1, 1, 1, 1, 1, 1, 0, 0], gad7: [2, 1, 1, 1, 1, 1, 1] },
  { phq9: [1, 1, 1, 1, 1, 1, 0, 0, 0], gad7: [1, 1, 1, 1, 1, 1, 1] },
  { phq9: [1, 1, 1, 0, 1, 1, 0, 0, 0], gad7: [1, 1, 1, 1, 0, 1, 1] },
  { phq9: [1, 0, 1, 1, 0, 1, 0, 0, 0], gad7: [1, 1, 1, 1, 0, 0, 1] },
  { phq9: [1, 0, 1, 0, 0, 1, 0, 0, 0], gad7: [1, 1, 0, 1, 0, 0, 1] },
];

const NOTES: readonly Record<string, string>[] = [
  {
    subjective: 'Reports constant worry about work deadlines and waking at 4am most nights.',
    objective: 'Alert, tearful when describing work; speech normal rate.',
    assessment: 'Moderate anxiety and depressive symptoms (PHQ-9 13, GAD-7 13). No current risk indicators.',
    plan: 'Weekly CBT. Sleep diary; introduce worry time.',
  },
  {
    subjective: 'Kept the sleep diary on 5 of 7 nights. Worry time "felt silly but helped".',
    objective: 'Brighter affect.',
    assessment: 'Engaged; early gains in sleep onset.',
    plan: 'Cognitive restructuring of "I will be fired" prediction.',
  },
  {
    subjective: 'Difficult week: conflict with manager. Used thought record twice.',
    objective: 'Flat affect at start, improved through session.',
    assessment: 'Setback is situational; skills in use.',
    plan: 'Role-play assertive conversation with manager.',
  },
  {
    subjective: 'Had the conversation with the manager; workload reduced. Sleeping 6-7 hours.',
    objective: 'Relaxed, smiling.',
    assessment: 'PHQ-9 and GAD-7 now in the mild range.',
    plan: 'Move to fortnightly sessions; relapse-prevention plan next time.',
  },
];

/**
 * Demo clinical care: therapist and peer profiles (one licence verified, one close to expiry), and
 * Riley with about four months of care: consent, intake, fortnightly PHQ-9/GAD-7, signed SOAP notes
 * (one with an addendum), a draft note and session feedback. Backdated with its own clock so the
 * progress chart has a history; the audit trail records when the demo was really seeded.
 */
export async function seedDemoClinical(haven: Haven, people: ReadonlyMap<string, DemoPerson>): Promise<void> {
  const [admin, maya, sam, peer, riley, casey] = [
    'admin',
    'therapist1',
    'therapist2',
    'peer',
    'client1',
    'client2',
  ].map((key) => people.get(key));
  if (!admin || !maya || !sam || !peer || !riley || !casey) return;
  const as = (p: DemoPerson): ClinicalActor => ({ id: p.user.id, roles: p.user.roles, ip: null });
  const now = Date.now();
  const isoDay = (offsetDays: number) => new Date(now + offsetDays * DAY).toISOString().slice(0, 10);

  await haven.directory.saveOwnProfile(as(maya), {
    bio: 'I work with adults facing anxiety, low mood and work stress, using CBT and mindfulness-based approaches.',
    specialties: ['anxiety', 'depression', 'stress', 'work'],
    approaches: ['CBT', 'mindfulness-based'],
    formats: ['video', 'chat'],
    times: ['evenings'],
    languages: 'English, Spanish',
    acceptingNewClients: 'on',
    licenceType: 'Licensed Psychologist',
    licenceNumber: 'PSY-20417',
    licenceJurisdiction: 'Oregon',
    licenceExpiresOn: isoDay(600),
  });
  await haven.directory.verifyLicence(as(admin), maya.user.id, {
    method: 'Oregon Board of Psychology online lookup',
  });
  await haven.directory.saveOwnProfile(as(sam), {
    bio: 'Couples and family work, grief and life transitions.',
    specialties: ['relationships', 'family', 'grief', 'life transitions'],
    approaches: ['couples', 'family systems', 'narrative'],
    formats: ['video', 'audio'],
    times: ['mornings', 'weekends'],
    languages: 'English',
    acceptingNewClients: 'on',
    licenceType: 'LCSW',
    licenceNumber: 'LCSW-88120',
    licenceJurisdiction: 'Washington',
    licenceExpiresOn: isoDay(20),
  });
  await haven.directory.verifyLicence(as(admin), sam.user.id, {
    method: 'Washington DOH provider credential search',
  });
  await haven.directory.saveOwnProfile(as(peer), {
    bio: 'I have lived with anxiety for years and share what helped me. Peer support, not therapy.',
    specialties: ['anxiety', 'stress'],
    formats: ['chat', 'group'],
    times: ['evenings'],
    languages: 'English',
    acceptingNewClients: 'on',
  });

  // Riley's history, told by a clock that starts 16 weeks ago.
  const clock = new FakeClock(new Date(now - 16 * 7 * DAY));
  const clinical = createClinical({
    words: mailWordsOf(haven.translator),
    logger: createLogger('warn'),
    sequelize: haven.sequelize,
    audit: haven.audit,
    cipher: haven.cipher,
    outbox: haven.mail.outbox,
    people: haven.accounts,
    clock,
    settings: {
      clinicName: haven.config.clinic.name,
      publicUrl: haven.config.http.publicUrl,
      crisisResources: haven.config.clinical.crisisResources ?? null,
      breakGlassMinutes: haven.config.clinical.breakGlassMinutes,
    },
  });
  await clinical.care.assign(as(admin), maya.user.id, riley.user.id);
  const consent = await clinical.intake.currentConsent();
  await clinical.intake.signConsent(as(riley), { typedName: 'Riley Chen', version: consent.version });
  await clinical.intake.submitIntake(as(riley), {
    form: {
      emergencyContactName: 'Morgan Chen (sibling)',
      emergencyContactPhone: '+1 503 555 0142',
      location: 'Portland, Oregon, USA',
      reasons: 'Work stress that follows me home; I lie awake worrying.',
      goals: 'Sleep through the night and stop dreading Mondays.',
      topics: ['anxiety', 'sleep', 'work'],
      preferredTimes: ['evenings'],
      preferredLanguage: 'English',
      preferredFormat: 'video',
      preferredApproach: 'CBT',
    },
    phq9: { answers: COURSE[0]!.phq9 },
    gad7: { answers: COURSE[0]!.gad7 },
  });
  await clinical.measures.assign(as(maya), riley.user.id, 'phq9', 'every_2_weeks');
  await clinical.measures.assign(as(maya), riley.user.id, 'gad7', 'every_2_weeks');

  for (const [i, step] of COURSE.entries()) {
    if (i > 0) {
      clock.set(new Date(now - (16 - 2 * i) * 7 * DAY + 3_600_000));
      await clinical.measures.submit(as(riley), riley.user.id, { measure: 'phq9', answers: step.phq9 });
      await clinical.measures.submit(as(riley), riley.user.id, { measure: 'gad7', answers: step.gad7 });
    }
    const body = NOTES[i];
    if (body) {
      clock.advance(2 * 3_600_000);
      const note = await clinical.notes.create(as(maya), riley.user.id, 'soap', body);
      await clinical.notes.sign(as(maya), note.id);
      if (i === 1) {
        clock.advance(DAY);
        await clinical.notes.addAddendum(
          as(maya),
          note.id,
          'Correction after reviewing the sleep diary',
          'The diary was kept on 6 of 7 nights, not 5.',
        );
      }
      await clinical.feedback.submit(as(riley), {
        therapistId: maya.user.id,
        heard: i === 2 ? 7 : 9,
        goals: i === 2 ? 6 : 9,
        approach: 9,
        overall: i === 2 ? 7 : 9,
        comment: i === 2 ? 'Felt a bit rushed at the end.' : '',
      });
    }
  }
  clock.set(new Date(now - DAY));
  await clinical.notes.create(as(maya), riley.user.id, 'dap', {
    data: 'Reviewed relapse-prevention plan draft together.',
  });
  await clinical.notes.addPsychotherapyNote(
    as(maya),
    riley.user.id,
    'Wonder whether the perfectionism links to early family expectations; explore gently.',
  );
  await clinical.intake.recordSafetyCheck(as(riley), {
    location: 'Home, Portland',
    callbackNumber: '+1 503 555 0199',
  });

  // Casey has just started: assigned to Sam, consent not yet signed.
  await haven.clinical.care.assign(as(admin), sam.user.id, casey.user.id);
}
