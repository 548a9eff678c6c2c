import type { Haven } from '../../app';
import { createCarePlanning } from '../../care-planning';
import type { ClinicalActor } from '../../clinical';
import { FakeClock } from '../../shared/clock';
import type { DemoPerson } from './demo-people';

const DAY = 86_400_000;

/**
 * Demo care planning for Riley (seeded after demo-clinical, whose history starts 16 weeks ago): an
 * ICD-10-CM diagnosis, a treatment plan signed by Maya and by Riley 14 weeks ago (so its 90-day review
 * shows as overdue on Maya's dashboard) with PHQ-9 and GAD-7 targets, two completed exercises and one
 * open, and a safety plan. Backdated with its own clock, like the rest of Riley's record.
 */
export async function seedDemoCarePlanning(
  haven: Haven,
  people: ReadonlyMap<string, DemoPerson>,
): Promise<void> {
  const maya = people.get('therapist1');
  const riley = people.get('client1');
  if (!maya || !riley) return;
  const as = (p: DemoPerson): ClinicalActor => ({ id: p.user.id, roles: p.user.roles, ip: null });
  const now = Date.now();
  const day = (offsetDays: number) => new Date(now + offsetDays * DAY).toISOString().slice(0, 10);
  const clock = new FakeClock(new Date(now - 15 * 7 * DAY));
  const care = createCarePlanning({
    sequelize: haven.sequelize,
    audit: haven.audit,
    cipher: haven.cipher,
    clock,
    clinical: haven.clinical,
    settings: { reviewDays: haven.config.clinical.planReviewDays, reviewNoticeDays: 14 },
  });

  await care.diagnoses.add(as(maya), riley.user.id, {
    code: 'F41.1',
    rank: 'primary',
    onsetOn: day(-15 * 7),
  });
  await care.diagnoses.add(as(maya), riley.user.id, {
    code: 'Z56.6',
    rank: 'secondary',
    onsetOn: day(-15 * 7),
  });

  clock.set(new Date(now - 14 * 7 * DAY));
  const interventions = (await care.plans.interventions()).map((i) => i.label);
  const cbt = interventions.find((l) => l.includes('CBT')) ?? interventions[0]!;
  const draft = await care.plans.startDraft(as(maya), riley.user.id);
  await care.plans.saveDraft(
    as(maya),
    draft.id,
    {
      presentingProblems:
        'Persistent worry about work performance, early waking (4am most nights) and low mood since a reorganisation at work.',
      sessionFrequency: 'Weekly, then fortnightly',
      expectedDuration: '16 weeks',
      g0_client: 'Sleep through the night and stop dreading Mondays',
      g0_clinician: 'Reduce generalised anxiety and its effect on sleep',
      g0_status: 'active',
      g0_targetDate: day(4 * 7),
      g0_interventions: [cbt],
      g0_o0_text: 'GAD-7 below 8',
      g0_o0_measure: 'gad7',
      g0_o0_below: '8',
      g0_o0_date: day(4 * 7),
      g0_o1_text: 'Asleep within 30 minutes on 5 nights of 7 (sleep diary)',
      g1_client: 'Feel like myself again',
      g1_clinician: 'Lift depressive symptoms',
      g1_status: 'active',
      g1_interventions: interventions.filter((l) => l.startsWith('Behavioural activation')),
      g1_o0_text: 'PHQ-9 below 10',
      g1_o0_measure: 'phq9',
      g1_o0_below: '10',
      g1_o0_date: day(-2 * 7),
    },
    draft.revision,
  );
  const plan = await care.plans.sign(as(maya), draft.id);
  clock.advance(2 * DAY);
  await care.plans.signAsClient(as(riley), plan.id, { typedName: 'Riley Chen' });

  await care.homework.saveSafetyPlan(as(maya), riley.user.id, {
    warningSigns:
      'Lying awake past 2am three nights running; skipping meals; telling myself "what is the point".',
    internalCoping: 'Walk round the block; the breathing exercise; a shower and a podcast.',
    distraction: 'Coffee at the corner café; calling my cousin Jess to talk about anything else.',
    helpers: 'Morgan (sibling) +1 503 555 0142; Jess +1 503 555 0175.',
    professionals: 'Dr. Maya Rivera via Haven messages (weekdays). Crisis line: call or text 988.',
    saferEnvironment: 'Keep the sleeping tablets at Morgan’s; only a week’s supply at home.',
    reasonsForLiving: 'My niece Ava, and the trip to Japan next spring.',
  });

  clock.set(new Date(now - 12 * 7 * DAY));
  const record = await care.homework.assign(as(maya), riley.user.id, {
    exercise: 'thought_record',
    instructions: 'Next time the Monday dread hits, catch the thought and weigh it.',
    dueOn: day(-11 * 7),
  });
  clock.advance(4 * DAY);
  await care.homework.answer(
    as(riley),
    record.id,
    {
      situation: 'Sunday evening, saw the Monday 9am meeting invite from my manager.',
      automaticThought: 'She is going to tell me I am not good enough and I will be let go.',
      emotion: 'Anxious',
      emotionBefore: '85',
      evidenceFor: 'The invite had no agenda. Two people left the team last month.',
      evidenceAgainst:
        'My last review was good. She sends blank invites to everyone. She asked me to lead the new project.',
      balancedThought:
        'A meeting without an agenda is normal for her; it is more likely about the project than my job.',
      emotionAfter: '40',
    },
    1,
    true,
  );
  clock.set(new Date(now - 8 * 7 * DAY));
  const log = await care.homework.assign(as(maya), riley.user.id, {
    exercise: 'activity_log',
    instructions: 'One small pleasant or useful thing each day, and your mood after it.',
    dueOn: day(-7 * 7),
  });
  clock.advance(6 * DAY);
  await care.homework.answer(
    as(riley),
    log.id,
    {
      'when.0': 'Mon evening',
      'activity.0': 'Walked to the river',
      'mood.0': '6',
      'when.1': 'Wed lunch',
      'activity.1': 'Lunch with Jess',
      'mood.1': '7',
      'when.2': 'Sat morning',
      'activity.2': 'Cooked pancakes for Ava',
      'mood.2': '8',
    },
    1,
    true,
  );
  clock.set(new Date(now - 2 * DAY));
  await care.homework.assign(as(maya), riley.user.id, {
    exercise: 'journal',
    instructions: 'What would you tell a friend who had the week you had?',
    dueOn: day(5),
  });
}
