/**
 * Route × role matrix: who gets which status from every route on the app.
 *
 * HOW TO ADD YOUR ROUTES (the matrix test fails for any route without a row, and for rows that match
 * no route):
 *   0. Wrap the handler in `endpoint({ params, query, body }, handler)` (server/http/routes/endpoint.ts)
 *      naming every path parameter (`fields.id` for a record id) and every query and form field the
 *      handler reads. The matrix file also walks each declared field with bad values (NUL byte,
 *      over-long, array, `__proto__` key: no 5xx, nothing written) and checks that every answer to a
 *      signed-in caller is `Cache-Control: no-store` unless the declaration says `cacheable`.
 *   1. Add one row per method + path, written exactly as registered: `'GET /clients/:clientId/notes'`.
 *   2. Give `url` when the path has parameters; it receives the fixtures, e.g.
 *        url: (fx) => `/clients/${fx.users.clientA.id}/notes`
 *      Values your feature creates go in `fx.vars` from a function in MATRIX_SETUP below.
 *   3. `expect` names the status for each of the six callers. Use the helpers: `everyone(200)`,
 *      `signedIn(200)` (visitor 302 on GET / 401 otherwise), `only(['therapist'], 200)` (others 403).
 *      Several allowed statuses may be given as an array: `[200, 503]`.
 *   4. Non-GET requests are sent with a valid CSRF token and `body` (default: empty form), so most
 *      POSTs by allowed roles answer 400 (validation) — which proves the guard let them through.
 *
 * Callers: anonymous (no session), clientA and clientB (clients; clientA is the one with data in
 * the fixtures), therapist, peer (peer supporter), admin, and guest: an invited guest of one of the
 * therapist's appointments with clientA (no account; their used link left a guest pass in their web
 * session). Admin and therapist have two-factor on. The helpers below treat the guest as the visitor
 * they are everywhere but their own room page.
 */
import type { Haven } from '../../../server/app';
import type { User } from '../../../server/accounts';

export const CALLERS = ['anonymous', 'clientA', 'clientB', 'therapist', 'peer', 'admin', 'guest'] as const;
export type Caller = (typeof CALLERS)[number];
export type SignedInCaller = Exclude<Caller, 'anonymous' | 'guest'>;
export type Expected = number | readonly number[];

export interface MatrixFixtures {
  readonly haven: Haven;
  readonly users: Readonly<Record<SignedInCaller, User>>;
  /** Ids and tokens made by MATRIX_SETUP functions, for `url`/`body`. */
  readonly vars: Record<string, string>;
}

export interface MatrixRow {
  /** `METHOD /path/:param`, exactly as registered on the router. */
  readonly route: string;
  readonly url?: string | ((fx: MatrixFixtures) => string);
  readonly body?: Record<string, string> | ((fx: MatrixFixtures) => Record<string, string>);
  readonly expect: Readonly<Record<Caller, Expected>>;
  readonly note?: string;
}

/** Runs once before the matrix, after the six people exist; add your feature's data here. */
export const MATRIX_SETUP: Array<(fx: MatrixFixtures) => Promise<void>> = [];

export function everyone(status: Expected): Record<Caller, Expected> {
  return {
    anonymous: status,
    guest: status,
    clientA: status,
    clientB: status,
    therapist: status,
    peer: status,
    admin: status,
  };
}

/** Anyone signed in gets `status`; a visitor is sent to sign in (302) or refused (401). */
export function signedIn(status: Expected, visitor: Expected): Record<Caller, Expected> {
  return { ...everyone(status), anonymous: visitor, guest: visitor };
}

/** Only `roles` get `status`; other signed-in people 403; a visitor 302 (pages) or 401. */
export function only(
  roles: readonly SignedInCaller[],
  status: Expected,
  visitor: Expected,
): Record<Caller, Expected> {
  const out = { ...everyone(403), anonymous: visitor, guest: visitor } as Record<Caller, Expected>;
  for (const role of roles) out[role] = status;
  return out;
}

/** Visitors get `visitorStatus`; signed-in people `signedInStatus`. */
export function visitorsOnly(visitorStatus: Expected, signedInStatus: Expected): Record<Caller, Expected> {
  const out = everyone(signedInStatus) as Record<Caller, Expected>;
  out.anonymous = visitorStatus;
  out.guest = visitorStatus;
  return out;
}

const BOGUS = 'not-a-real-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
export const ROWS: readonly MatrixRow[] = [
  // Foundation
  { route: 'GET /', expect: { ...everyone(200), admin: 303 }, note: 'an admin-only account: home is /admin' },
  { route: 'GET /healthz', expect: everyone(200) },
  { route: 'GET /readyz', expect: everyone([200, 503]), note: '503 while media workers are not up' },

  // Accounts: first run (an admin exists in the matrix, so setup is gone)
  { route: 'GET /setup', expect: everyone(404) },
  { route: 'POST /setup', expect: everyone(404) },

  // Accounts: sign-in and out
  { route: 'GET /sign-in', expect: visitorsOnly(200, 302) },
  { route: 'POST /sign-in', expect: everyone(401), note: 'empty credentials' },
  { route: 'GET /sign-in/two-factor', expect: everyone(302), note: 'no password step pending' },
  { route: 'POST /sign-in/two-factor', expect: everyone(303) },
  { route: 'POST /sign-out', expect: everyone(303) },

  // The language switcher: anyone may change how their pages read (a visitor's GET sets a cookie,
  // a signed-in POST saves the profile); a language the clinic does not offer is refused.
  { route: 'GET /language', url: '/language?lang=es&next=/', expect: everyone(303) },
  { route: 'POST /language', body: { lang: 'es', next: '/' }, expect: everyone(303) },

  // Accounts: sign-up, verification, reset (token routes with a bogus token)
  { route: 'GET /sign-up', expect: visitorsOnly(200, 302) },
  { route: 'POST /sign-up', expect: everyone(400) },
  {
    route: 'GET /verify-email/:token',
    url: `/verify-email/${BOGUS}`,
    expect: everyone(200),
    note: 'a button; POST checks',
  },
  { route: 'POST /verify-email/:token', url: `/verify-email/${BOGUS}`, expect: everyone(400) },
  { route: 'GET /forgot-password', expect: everyone(200) },
  { route: 'POST /forgot-password', expect: everyone(400) },
  { route: 'GET /reset-password/:token', url: `/reset-password/${BOGUS}`, expect: everyone(400) },
  { route: 'POST /reset-password/:token', url: `/reset-password/${BOGUS}`, expect: everyone(400) },

  // Accounts: two-factor
  { route: 'GET /account/two-factor', expect: signedIn(200, 302) },
  { route: 'GET /account/two-factor/enrol', expect: signedIn(200, 302) },
  { route: 'POST /account/two-factor/enrol', expect: signedIn(400, 401) },
  {
    route: 'POST /account/two-factor/recovery-codes',
    expect: signedIn(303, 401),
    note: 'no password: flash',
  },
  {
    route: 'POST /account/two-factor/disable',
    expect: { ...only(['clientA', 'clientB', 'peer'], 303, 401) },
    note: 'mandatory for admin and therapist',
  },

  // Accounts: own account
  { route: 'GET /account', expect: signedIn(200, 302) },
  { route: 'POST /account/profile', expect: signedIn(400, 401) },
  { route: 'GET /account/password', expect: signedIn(200, 302) },
  { route: 'POST /account/password', expect: signedIn(400, 401) },
  { route: 'GET /account/sessions', expect: signedIn(200, 302) },
  {
    route: 'POST /account/sessions/:id/sign-out',
    url: `/account/sessions/${'0'.repeat(64)}/sign-out`,
    expect: signedIn(303, 401),
  },
  { route: 'POST /account/sessions/sign-out-everywhere', expect: signedIn(303, 401) },
  // Data rights (issue 9): a client's own record and erasure request; the admin's erasure queue.
  // Decisions use a missing request and no reason (400), so the matrix erases nobody.
  { route: 'GET /account/data', expect: only(['clientA', 'clientB'], 200, 302) },
  {
    route: 'GET /account/data/export',
    expect: only(['clientA', 'clientB'], 200, 302),
    note: "ZIP of the caller's own record; the route takes no id",
  },
  {
    route: 'POST /account/data/erasure',
    expect: only(['clientA', 'clientB'], 400, 401),
    note: 'no confirmation typed',
  },
  { route: 'GET /admin/data-rights', expect: only(['admin'], 200, 302) },
  {
    route: 'POST /admin/data-rights/:requestId/approve',
    url: `/admin/data-rights/${NO_SUCH_ID}/approve`,
    expect: only(['admin'], 400, 401),
    note: 'no reason given',
  },
  {
    route: 'POST /admin/data-rights/:requestId/decline',
    url: `/admin/data-rights/${NO_SUCH_ID}/decline`,
    expect: only(['admin'], 400, 401),
    note: 'no reason given',
  },

  // Accounts: invitations
  { route: 'GET /invitations', expect: only(['therapist', 'admin'], 200, 302) },
  { route: 'POST /invitations', expect: only(['therapist', 'admin'], 400, 401) },
  {
    route: 'POST /invitations/:id/revoke',
    url: '/invitations/00000000-0000-4000-8000-000000000000/revoke',
    expect: only(['therapist', 'admin'], 404, 401),
  },
  { route: 'GET /invite/:token', url: `/invite/${BOGUS}`, expect: everyone(404) },
  { route: 'POST /invite/:token', url: `/invite/${BOGUS}`, expect: visitorsOnly(400, 409) },

  // Admin console (issue 9): admins only. Actions on a person use a missing id (404) or empty input
  // (400) so the matrix changes nobody; a deactivated admin is refused everywhere (admin.test.ts).
  { route: 'GET /admin', expect: only(['admin'], 200, 302) },
  { route: 'GET /admin/clinic-settings', expect: only(['admin'], 200, 302) },
  { route: 'POST /admin/clinic-settings', expect: only(['admin'], 400, 401) },
  { route: 'POST /admin/clinic-settings/logo', expect: only(['admin'], 400, 401), note: 'no file' },
  { route: 'POST /admin/clinic-settings/logo/remove', expect: only(['admin'], 303, 401) },
  { route: 'POST /admin/clinic-settings/consent', expect: only(['admin'], 400, 401), note: 'empty text' },
  { route: 'GET /admin/languages', expect: only(['admin'], 200, 302) },
  {
    route: 'POST /admin/languages/consent',
    expect: only(['admin'], 400, 401),
    note: 'no language, empty text',
  },
  { route: 'POST /admin/languages/crisis', expect: only(['admin'], 400, 401), note: 'no language' },
  { route: 'GET /admin/translations', expect: only(['admin'], 200, 302) },
  { route: 'POST /admin/translations', expect: only(['admin'], 400, 401), note: 'no language or key' },
  { route: 'POST /admin/translations/reset', expect: only(['admin'], 400, 401), note: 'no language or key' },
  { route: 'POST /admin/clinic-settings/smtp', expect: only(['admin'], 400, 401) },
  { route: 'POST /admin/clinic-settings/smtp/clear', expect: only(['admin'], 303, 401) },
  {
    route: 'POST /admin/clinic-settings/smtp/test',
    expect: only(['admin'], 200, 401),
    note: 'no SMTP server: the page says why',
  },
  { route: 'GET /branding.css', expect: everyone(200) },
  { route: 'GET /branding/logo.png', expect: everyone(404), note: 'no logo uploaded' },
  { route: 'GET /admin/people', expect: only(['admin'], 200, 302) },
  {
    route: 'GET /admin/nodes',
    expect: only(['admin'], 200, 302),
    note: 'counts of people per node, never who',
  },
  { route: 'POST /admin/people/invite', expect: only(['admin'], 400, 401) },
  {
    route: 'GET /admin/people/:userId',
    url: (fx) => `/admin/people/${fx.users.clientA.id}`,
    expect: only(['admin'], 200, 302),
  },
  {
    route: 'POST /admin/people/:userId/deactivate',
    url: `/admin/people/${NO_SUCH_ID}/deactivate`,
    expect: only(['admin'], 404, 401),
  },
  {
    route: 'POST /admin/people/:userId/reactivate',
    url: `/admin/people/${NO_SUCH_ID}/reactivate`,
    expect: only(['admin'], 404, 401),
  },
  {
    route: 'POST /admin/people/:userId/reset-two-factor',
    url: `/admin/people/${NO_SUCH_ID}/reset-two-factor`,
    expect: only(['admin'], 404, 401),
    note: 'no such person',
  },
  {
    route: 'POST /admin/people/:userId/roles',
    url: `/admin/people/${NO_SUCH_ID}/roles`,
    expect: only(['admin'], 404, 401),
    note: 'no such person',
  },
  {
    route: 'POST /admin/people/:userId/assign',
    url: (fx) => `/admin/people/${fx.users.clientA.id}/assign`,
    expect: only(['admin'], 400, 401),
  },
  {
    route: 'POST /admin/people/:userId/end-care',
    url: (fx) => `/admin/people/${fx.users.clientB.id}/end-care`,
    expect: only(['admin'], 404, 401),
    note: 'no such care relationship',
  },
  {
    route: 'POST /admin/people/:userId/transfer-caseload',
    url: (fx) => `/admin/people/${fx.users.therapist.id}/transfer-caseload`,
    expect: only(['admin'], 400, 401),
    note: 'no therapist chosen',
  },
  { route: 'GET /admin/audit', expect: only(['admin'], 200, 302) },
  { route: 'GET /admin/audit/export.csv', expect: only(['admin'], 200, 302) },
  { route: 'POST /admin/audit/verify', expect: only(['admin'], 303, 401) },
  { route: 'GET /admin/outbox', expect: only(['admin'], 200, 302) },
  {
    route: 'POST /admin/outbox/:messageId/retry',
    url: `/admin/outbox/${NO_SUCH_ID}/retry`,
    expect: only(['admin'], 404, 401),
  },

  // Scheduling: an appointment of the therapist with clientA (MATRIX_SETUP below). Outsiders get the
  // same 404 as for a missing appointment; POSTs use a missing id (404) or empty input (400).
  { route: 'GET /appointments', expect: signedIn(200, 302) },
  {
    route: 'GET /appointments/:id',
    url: (fx) => `/appointments/${fx.vars.appointmentId}`,
    expect: { ...only(['clientA', 'therapist'], 200, 302), clientB: 404, peer: 404, admin: 404 },
  },
  ...(['cancel', 'approve', 'decline', 'no-show'] as const).map((verb) => ({
    route: `POST /appointments/:id/${verb}`,
    url: `/appointments/${NO_SUCH_ID}/${verb}`,
    expect: signedIn(404, 401),
  })),
  {
    route: 'POST /appointments/:id/e2ee',
    url: (fx) => `/appointments/${fx.vars.appointmentId}/e2ee`,
    body: { encrypted: 'on' },
    expect: { ...signedIn(404, 401), therapist: 303, clientA: 403 },
    note: "ROOM_E2EE=per-session: the appointment's therapist only; its client 403, anyone else 404",
  },
  {
    route: 'POST /appointments/:id/reschedule',
    url: (fx) => `/appointments/${fx.vars.appointmentId}/reschedule`,
    expect: signedIn(400, 401),
    note: 'no new time',
  },
  {
    route: 'GET /book',
    url: (fx) => `/book?therapistId=${fx.users.therapist.id}&typeId=${fx.vars.sessionTypeId}`,
    note: 'the day picker and a day of times',
    expect: only(['clientA', 'clientB'], 200, 302),
  },
  { route: 'POST /book', expect: only(['clientA', 'clientB'], 400, 401) },
  {
    route: 'GET /book/review',
    url: (fx) =>
      `/book/review?therapistId=${fx.users.therapist.id}&typeId=${fx.vars.sessionTypeId}&start=${fx.vars.freeStart}`,
    note: 'a free time, reviewed before booking',
    expect: only(['clientA', 'clientB'], 200, 302),
  },
  { route: 'GET /schedule', expect: only(['therapist'], 200, 302) },
  { route: 'POST /schedule', expect: only(['therapist'], 400, 401) },
  { route: 'POST /schedule/exceptions', expect: only(['therapist'], 400, 401) },
  {
    route: 'POST /schedule/exceptions/:id/delete',
    url: `/schedule/exceptions/${NO_SUCH_ID}/delete`,
    expect: only(['therapist'], 404, 401),
  },
  { route: 'POST /schedule/types', expect: only(['therapist', 'admin'], 400, 401) },
  {
    route: 'POST /schedule/types/:id',
    url: '/schedule/types/5d1f0c3e-7a51-4c1b-9c0e-1a0000000004',
    expect: only(['therapist', 'admin'], 400, 401),
    note: 'a default kind (Check-in); the empty form is refused',
  },
  { route: 'GET /schedule/book', expect: only(['therapist'], 200, 302) },
  { route: 'POST /schedule/book', expect: only(['therapist'], 400, 401) },
  { route: 'GET /calendar-feed', expect: signedIn(200, 302) },
  { route: 'POST /calendar-feed', expect: signedIn(200, 401), note: 'issues a feed URL' },
  { route: 'POST /calendar-feed/revoke', expect: signedIn(303, 401) },
  { route: 'GET /calendar/:file', url: `/calendar/${BOGUS}.ics`, expect: everyone(404) },
  // Live sessions: a room of the therapist with clientA (MATRIX_SETUP below). Only its participants
  // may open it; the admin, like anyone else outside it, is refused (no silent joining).
  { route: 'GET /rooms', expect: only(['therapist'], 200, 302) },
  { route: 'POST /rooms', expect: only(['therapist'], 400, 401), note: 'no client chosen' },
  {
    route: 'GET /rooms/appointment/:appointmentId',
    url: '/rooms/appointment/00000000-0000-4000-8000-000000000000',
    expect: signedIn(404, 302),
  },
  {
    route: 'GET /rooms/:roomId',
    url: (fx) => `/rooms/${fx.vars.roomId}`,
    expect: { ...only(['clientA', 'therapist'], 200, 302), clientB: 403, peer: 403, admin: 403 },
  },
  {
    route: 'GET /rooms/:roomId/chat',
    url: (fx) => `/rooms/${fx.vars.roomId}/chat`,
    expect: { ...only(['clientA', 'therapist'], 200, 302), clientB: 403, peer: 403, admin: 403 },
  },

  // Invited guests (issue 23): the appointment's people see its guests (others: 404, as for the
  // appointment); only its therapist invites and removes; a client asks for a removal. The guest's
  // link (bogus here: 404 for all, signed-in people are told to use a private window first) and
  // their room page, which only the guest opens.
  {
    route: 'GET /appointments/:id/guests',
    url: (fx) => `/appointments/${fx.vars.guestAppointmentId}/guests`,
    expect: { ...signedIn(404, 302), therapist: 200, clientA: 200 },
  },
  {
    route: 'POST /appointments/:id/guests',
    url: (fx) => `/appointments/${fx.vars.guestAppointmentId}/guests`,
    expect: only(['therapist'], 400, 401),
    note: 'the empty form is refused with its reasons',
  },
  {
    route: 'POST /appointments/:id/guests/:guestId/remove',
    url: (fx) => `/appointments/${fx.vars.guestAppointmentId}/guests/${fx.vars.removableGuestId}/remove`,
    expect: only(['therapist'], 303, 401),
  },
  {
    route: 'POST /appointments/:id/guests/:guestId/ask-removal',
    url: (fx) => `/appointments/${fx.vars.guestAppointmentId}/guests/${fx.vars.removableGuestId}/ask-removal`,
    expect: { ...signedIn(404, 401), clientA: 303, therapist: 403 },
    note: 'the therapist removes directly',
  },
  { route: 'GET /guest/room', expect: { ...everyone(403), guest: 200 } },
  { route: 'GET /guest/:token', url: `/guest/${BOGUS}`, expect: everyone(404) },
  {
    route: 'POST /guest/:token',
    url: `/guest/${BOGUS}`,
    expect: { ...signedIn(409, 404), guest: 404 },
    note: 'signed in: use a private window',
  },

  // Pre-call check: anyone signed in. Probes need the media workers (off here): an empty request is
  // refused as invalid before anything else, and a probe id nobody opened is simply not found.
  { route: 'GET /check', expect: signedIn(200, 302) },
  { route: 'POST /check/probes', expect: signedIn(400, 401), note: 'no mode' },
  {
    route: 'POST /check/probes/:probeId/connect',
    url: `/check/probes/${NO_SUCH_ID}/connect`,
    expect: signedIn(400, 401),
  },
  {
    route: 'POST /check/probes/:probeId/produce',
    url: `/check/probes/${NO_SUCH_ID}/produce`,
    expect: signedIn(400, 401),
  },
  { route: 'GET /check/probes/:probeId', url: `/check/probes/${NO_SUCH_ID}`, expect: signedIn(404, 302) },
  { route: 'DELETE /check/probes/:probeId', url: `/check/probes/${NO_SUCH_ID}`, expect: signedIn(404, 401) },

  // Messaging: clientA and therapist share a thread (MATRIX_SETUP below); clientB and the admin are
  // outsiders and get the same 404 as for a thread that does not exist; peer supporters get 403.
  { route: 'GET /messages', expect: only(['clientA', 'clientB', 'therapist', 'admin'], 200, 302) },
  { route: 'POST /messages/open', expect: only(['clientA', 'clientB', 'therapist', 'admin'], 400, 401) },
  { route: 'GET /messages/search', expect: only(['clientA', 'clientB', 'therapist', 'admin'], 200, 302) },
  { route: 'POST /messages/away-notice', expect: only(['therapist'], 303, 401) },
  {
    route: 'GET /messages/:threadId',
    url: (fx) => `/messages/${fx.vars.messageThreadId}`,
    expect: { ...only(['clientA', 'therapist'], 200, 302), clientB: 404, admin: 404 },
  },
  {
    route: 'POST /messages/:threadId',
    url: (fx) => `/messages/${fx.vars.messageThreadId}`,
    expect: { ...only(['clientA', 'therapist'], 400, 401), clientB: 404, admin: 404 },
    note: 'empty message',
  },
  {
    route: 'POST /messages/:threadId/read',
    url: (fx) => `/messages/${fx.vars.messageThreadId}/read`,
    expect: { ...only(['clientA', 'therapist'], 200, 401), clientB: 404, admin: 404 },
  },
  {
    route: 'GET /messages/attachments/:attachmentId',
    url: (fx) => `/messages/attachments/${fx.vars.messageAttachmentId}`,
    expect: { ...only(['clientA', 'therapist'], 200, 302), clientB: 404, admin: 404 },
  },
  {
    route: 'POST /messages/retract/:messageId',
    url: (fx) => `/messages/retract/${fx.vars.messageId}`,
    expect: { ...only(['clientA', 'therapist'], 409, 401), clientA: [303, 409], clientB: 404, admin: 404 },
    note: 'clientA sent it (409 once five minutes have passed); the therapist may not retract it',
  },

  // Peer-support groups: the peer supporter facilitates a group with clientA as an active member.
  { route: 'GET /groups', expect: signedIn(200, 302) },
  { route: 'POST /groups', expect: only(['peer', 'admin'], 400, 401), note: 'empty form' },
  { route: 'GET /groups/:groupId', url: (fx) => `/groups/${fx.vars.groupId}`, expect: signedIn(200, 302) },
  {
    route: 'POST /groups/:groupId/join',
    url: (fx) => `/groups/${fx.vars.groupId}/join`,
    expect: only(['clientA', 'clientB'], 400, 401),
    note: 'no pseudonym',
  },
  {
    route: 'POST /groups/:groupId/guidelines/accept',
    url: (fx) => `/groups/${fx.vars.groupId}/guidelines/accept`,
    expect: only(['clientA'], 409, 401),
    note: 'members only; no version given',
  },
  {
    route: 'POST /groups/:groupId/guidelines',
    url: (fx) => `/groups/${fx.vars.groupId}/guidelines`,
    expect: only(['peer', 'admin'], 400, 401),
    note: 'facilitator or admin; empty text',
  },
  {
    route: 'POST /groups/:groupId/members/:memberId/approve',
    url: (fx) => `/groups/${fx.vars.groupId}/members/${fx.vars.groupMemberId}/approve`,
    expect: only(['peer', 'admin'], 409, 401),
    note: 'already active',
  },
  {
    route: 'POST /groups/:groupId/members/:memberId/escalate',
    url: (fx) => `/groups/${fx.vars.groupId}/members/${fx.vars.groupMemberId}/escalate`,
    expect: only(['peer'], 400, 401),
    note: 'facilitators only; no reason given',
  },
  {
    route: 'GET /groups/alerts',
    expect: only(['admin'], 200, 302),
    note: 'no on-call clinician set: admins',
  },
  {
    route: 'POST /groups/alerts/:alertId/acknowledge',
    url: '/groups/alerts/00000000-0000-4000-8000-000000000000/acknowledge',
    expect: only(['admin'], 404, 401),
  },
  {
    route: 'POST /groups/:groupId/members/:memberId/remove',
    url: (fx) => `/groups/${fx.vars.groupId}/members/${fx.vars.groupMemberId}/remove`,
    expect: only(['peer', 'admin'], 303, 401),
  },
  // Group meetings: the peer supporter facilitates; clientA is a member who has not accepted the
  // guidelines (and is removed above), so only the hosts (facilitator, admin) get into the room.
  {
    route: 'POST /groups/:groupId/meetings',
    url: (fx) => `/groups/${fx.vars.groupId}/meetings`,
    expect: only(['peer', 'admin'], 303, 401),
    note: 'empty form: back to the group page with the error, nothing scheduled',
  },
  {
    route: 'GET /groups/:groupId/meetings/:meetingId',
    url: (fx) => `/groups/${fx.vars.groupId}/meetings/${fx.vars.groupMeetingId}`,
    expect: only(['peer', 'admin'], 303, 302),
    note: 'facilitators and admins host; a clinician is not seated in a group meeting by default',
  },
  {
    route: 'POST /groups/:groupId/meetings/:meetingId/cancel',
    url: (fx) => `/groups/${fx.vars.groupId}/meetings/${fx.vars.groupMeetingId}/cancel`,
    expect: only(['peer', 'admin'], 303, 401),
  },
  // Clinical care (issue 7): clientA is the therapist's client with intake, scores, a draft note and an
  // open crisis alert (MATRIX_SETUP below). The admin has no break-glass grant, so the record, notes
  // and psychotherapy notes refuse them too. Empty POSTs by allowed roles fail validation (400).
  { route: 'GET /clinical/crisis-help', expect: everyone(200), note: 'crisis resources need no sign-in' },
  { route: 'GET /clinical/me', expect: only(['clientA', 'clientB'], 200, 302) },
  {
    route: 'GET /clinical/intake',
    expect: { ...only(['clientA', 'clientB'], 200, 302), clientA: 303 },
    note: 'clientA has finished intake and is sent to their care page',
  },
  { route: 'POST /clinical/consent', expect: only(['clientA', 'clientB'], 400, 401) },
  { route: 'POST /clinical/intake', expect: only(['clientA', 'clientB'], 400, 401) },
  {
    route: 'GET /clinical/measures/:measure',
    url: '/clinical/measures/phq9',
    expect: only(['clientA', 'clientB'], 200, 302),
  },
  {
    route: 'POST /clinical/measures/:measure',
    url: '/clinical/measures/gad7',
    expect: only(['clientA', 'clientB'], 400, 401),
  },
  { route: 'GET /clinical/progress', expect: only(['clientA', 'clientB'], 200, 302) },
  { route: 'GET /clinical/safety-check', expect: only(['clientA', 'clientB'], 200, 302) },
  { route: 'POST /clinical/safety-check', expect: only(['clientA', 'clientB'], 400, 401) },
  { route: 'GET /clinical/feedback', expect: only(['clientA', 'clientB'], 200, 302) },
  { route: 'POST /clinical/feedback', expect: only(['clientA', 'clientB'], 400, 401) },
  {
    route: 'GET /clinical/matches',
    expect: { ...only(['clientA', 'clientB'], 200, 302), clientB: 303 },
    note: 'clientB has no intake yet and is sent to it',
  },
  { route: 'GET /clinical', expect: only(['therapist', 'admin'], 200, 302) },
  {
    route: 'POST /clinical/alerts/:alertId/acknowledge',
    url: (fx) => `/clinical/alerts/${fx.vars.crisisAlertId}/acknowledge`,
    expect: only(['therapist', 'admin'], 303, 401),
  },
  {
    route: 'GET /clinical/clients/:clientId',
    url: (fx) => `/clinical/clients/${fx.users.clientA.id}`,
    expect: only(['therapist'], 200, 302),
    note: 'the admin is refused without break-glass',
  },
  {
    route: 'POST /clinical/clients/:clientId/assignments',
    url: (fx) => `/clinical/clients/${fx.users.clientA.id}/assignments`,
    expect: only(['therapist'], 400, 401),
  },
  {
    route: 'POST /clinical/clients/:clientId/notes',
    url: (fx) => `/clinical/clients/${fx.users.clientA.id}/notes`,
    expect: only(['therapist'], 303, 401),
    note: 'starts a SOAP draft',
  },
  {
    route: 'GET /clinical/notes/:noteId',
    url: (fx) => `/clinical/notes/${fx.vars.clinicalNoteId}`,
    expect: only(['therapist'], 200, 302),
  },
  {
    route: 'POST /clinical/notes/:noteId',
    url: (fx) => `/clinical/notes/${fx.vars.clinicalNoteId}`,
    expect: only(['therapist'], 400, 401),
  },
  {
    route: 'POST /clinical/notes/:noteId/addenda',
    url: (fx) => `/clinical/notes/${fx.vars.clinicalNoteId}/addenda`,
    expect: only(['therapist'], 409, 401),
    note: 'addenda are for signed notes; this one is a draft',
  },
  {
    route: 'GET /clinical/clients/:clientId/psychotherapy-notes',
    url: (fx) => `/clinical/clients/${fx.users.clientA.id}/psychotherapy-notes`,
    expect: only(['therapist'], 200, 302),
  },
  {
    route: 'POST /clinical/clients/:clientId/psychotherapy-notes',
    url: (fx) => `/clinical/clients/${fx.users.clientA.id}/psychotherapy-notes`,
    expect: only(['therapist'], 400, 401),
  },
  { route: 'POST /clinical/care', expect: only(['admin'], 400, 401) },
  {
    route: 'POST /clinical/clients/:clientId/break-glass',
    url: (fx) => `/clinical/clients/${fx.users.clientA.id}/break-glass`,
    expect: only(['admin'], 400, 401),
    note: 'a reason is required',
  },
  { route: 'POST /clinical/consent-text', expect: only(['admin'], 400, 401) },

  // Care planning (issue 18): clientA has a diagnosis, a signed plan (version 1), an exercise and a
  // safety plan (MATRIX_SETUP below); clientB has none. The admin has no break-glass grant.
  {
    route: 'GET /clinical/clients/:clientId/care',
    url: (fx) => `/clinical/clients/${fx.users.clientA.id}/care`,
    expect: only(['therapist'], 200, 302),
    note: 'the admin is refused without break-glass',
  },
  {
    route: 'POST /clinical/clients/:clientId/diagnoses',
    url: (fx) => `/clinical/clients/${fx.users.clientA.id}/diagnoses`,
    expect: only(['therapist'], 400, 401),
  },
  {
    route: 'POST /care/diagnoses/:diagnosisId/end',
    url: (fx) => `/care/diagnoses/${fx.vars.diagnosisId}/end`,
    expect: only(['therapist'], 400, 401),
    note: 'an end date is required',
  },
  {
    route: 'POST /clinical/clients/:clientId/care-plans',
    url: (fx) => `/clinical/clients/${fx.users.clientA.id}/care-plans`,
    expect: only(['therapist'], 303, 401),
    note: 'starts (or reopens) the review draft; version 1 stays active',
  },
  {
    route: 'GET /care/plans/:planId',
    url: (fx) => `/care/plans/${fx.vars.carePlanId}`,
    expect: { ...only(['clientA', 'therapist'], 200, 302), peer: 403 },
    note: "clientB and the admin are refused by the record's policy",
  },
  {
    route: 'POST /care/plans/:planId',
    url: (fx) => `/care/plans/${fx.vars.carePlanId}`,
    expect: only(['therapist'], 400, 401),
    note: 'no revision sent',
  },
  {
    route: 'POST /care/plans/:planId/client-signature',
    url: (fx) => `/care/plans/${fx.vars.carePlanId}/client-signature`,
    expect: only(['clientA'], 400, 401),
    note: 'a typed name is required; clientB is refused by the policy',
  },
  {
    route: 'POST /clinical/clients/:clientId/homework',
    url: (fx) => `/clinical/clients/${fx.users.clientA.id}/homework`,
    expect: only(['therapist'], 400, 401),
  },
  {
    route: 'GET /care/plan',
    expect: { ...only(['clientA', 'clientB'], 200, 302), clientA: 303 },
    note: 'clientA is sent to their current plan; clientB has none yet',
  },
  { route: 'GET /care/homework', expect: only(['clientA', 'clientB'], 200, 302) },
  {
    route: 'GET /care/homework/:homeworkId',
    url: (fx) => `/care/homework/${fx.vars.homeworkId}`,
    expect: only(['clientA', 'therapist'], 200, 302),
  },
  {
    route: 'POST /care/homework/:homeworkId',
    url: (fx) => `/care/homework/${fx.vars.homeworkId}`,
    expect: only(['clientA', 'clientB'], 400, 401),
    note: 'no revision sent (checked before the record is looked at, so it says nothing about it)',
  },
  {
    route: 'GET /clinical/clients/:clientId/safety-plan',
    url: (fx) => `/clinical/clients/${fx.users.clientA.id}/safety-plan`,
    expect: only(['therapist'], 200, 302),
  },
  {
    route: 'POST /clinical/clients/:clientId/safety-plan',
    url: (fx) => `/clinical/clients/${fx.users.clientA.id}/safety-plan`,
    expect: only(['therapist'], 400, 401),
  },
  { route: 'GET /care/safety-plan', expect: only(['clientA', 'clientB'], 200, 302) },
  {
    route: 'GET /care/safety-plan/download',
    expect: { ...only(['clientA'], 200, 302), clientB: 404 },
    note: 'clientB has no safety plan yet',
  },
  {
    route: 'POST /clinical/notes/:noteId/goals',
    url: (fx) => `/clinical/notes/${fx.vars.clinicalNoteId}/goals`,
    expect: only(['therapist'], 303, 401),
    note: 'no goals ticked clears the links',
  },
  { route: 'GET /care/interventions', expect: only(['admin'], 200, 302) },
  { route: 'POST /care/interventions', expect: only(['admin'], 400, 401) },
  {
    route: 'POST /care/interventions/:interventionId',
    url: (fx) => `/care/interventions/${fx.vars.interventionId}`,
    expect: only(['admin'], 400, 401),
    note: 'retire or restore must be said',
  },

  // Directory (DIRECTORY_VISIBILITY defaults to signed_in): the therapist has a profile.
  { route: 'GET /directory', expect: signedIn(200, 302) },
  {
    route: 'GET /directory/profiles/:userId',
    url: (fx) => `/directory/profiles/${fx.users.therapist.id}`,
    expect: signedIn(200, 302),
  },
  { route: 'GET /practice-profile', expect: only(['therapist', 'peer'], 200, 302) },
  {
    route: 'POST /practice-profile',
    expect: only(['therapist', 'peer'], 303, 401),
    note: 'an empty form is a valid (empty) profile',
  },
  {
    route: 'GET /directory/profiles/:userId/photo',
    url: (fx) => `/directory/profiles/${fx.users.therapist.id}/photo`,
    expect: signedIn(404, 302),
    note: 'the matrix therapist has no photo',
  },
  {
    route: 'POST /practice-profile/photo',
    expect: only(['therapist', 'peer'], 400, 401),
    note: 'no file chosen; the owner only (no user id in the path)',
  },
  {
    route: 'POST /directory/profiles/:userId/verify-licence',
    url: (fx) => `/directory/profiles/${fx.users.therapist.id}/verify-licence`,
    expect: only(['admin'], 400, 401),
  },

  // Billing (issue 19): clientA's account holds one invoiced charge (MATRIX_SETUP below). Clients
  // see their own (B gets 404 for A's), the treating therapist their clients', admins all, peers
  // nothing. Writes use empty forms (400) or harmless choices (clearing an override).
  { route: 'GET /billing', expect: only(['clientA', 'clientB', 'therapist', 'admin'], 200, 302) },
  {
    route: 'GET /billing/clients/:clientId',
    url: (fx) => `/billing/clients/${fx.users.clientA.id}`,
    expect: { ...only(['clientA', 'therapist', 'admin'], 200, 302), clientB: 404 },
  },
  {
    route: 'POST /billing/clients/:clientId/invoices',
    url: (fx) => `/billing/clients/${fx.users.clientA.id}/invoices`,
    expect: { ...only(['therapist', 'admin'], 303, 401), clientB: 404 },
    note: 'nothing left to invoice: the page says so',
  },
  {
    route: 'POST /billing/clients/:clientId/override',
    url: (fx) => `/billing/clients/${fx.users.clientA.id}/override`,
    expect: { ...only(['therapist', 'admin'], 303, 401), clientB: 404 },
    note: 'no program chosen: clears the override',
  },
  {
    route: 'POST /billing/clients/:clientId/program',
    url: (fx) => `/billing/clients/${fx.users.clientA.id}/program`,
    expect: { ...only(['admin'], 303, 401), clientB: 404 },
    note: "back to the clinic's default",
  },
  {
    route: 'POST /billing/clients/:clientId/details',
    url: (fx) => `/billing/clients/${fx.users.clientA.id}/details`,
    expect: { ...only(['clientA', 'therapist', 'admin'], 400, 401), clientB: 404 },
  },
  {
    route: 'GET /billing/clients/:clientId/statement',
    url: (fx) => `/billing/clients/${fx.users.clientA.id}/statement?from=2020-01-01&to=2099-12-31`,
    expect: { ...only(['clientA', 'therapist', 'admin'], 200, 302), clientB: 404 },
  },
  {
    route: 'GET /billing/clients/:clientId/superbill',
    url: (fx) => `/billing/clients/${fx.users.clientA.id}/superbill?from=2020-01-01&to=2099-12-31`,
    expect: { ...only(['clientA', 'therapist', 'admin'], 400, 302), clientB: 404 },
    note: 'refused: the page names what is missing (NPI, date of birth…)',
  },
  {
    route: 'GET /billing/invoices/:invoiceId',
    url: (fx) => `/billing/invoices/${fx.vars.invoiceId}`,
    expect: { ...only(['clientA', 'therapist', 'admin'], 200, 302), clientB: 404 },
  },
  {
    route: 'GET /billing/invoices/:invoiceId/pdf',
    url: (fx) => `/billing/invoices/${fx.vars.invoiceId}/pdf`,
    expect: { ...only(['clientA', 'therapist', 'admin'], 200, 302), clientB: 404 },
  },
  {
    route: 'POST /billing/invoices/:invoiceId/payments',
    url: (fx) => `/billing/invoices/${fx.vars.invoiceId}/payments`,
    expect: only(['admin'], 400, 401),
  },
  {
    route: 'GET /billing/charges/:chargeId',
    url: (fx) => `/billing/charges/${fx.vars.chargeId}`,
    expect: { ...only(['therapist', 'admin'], 200, 302), clientB: 404 },
  },
  {
    route: 'POST /billing/charges/:chargeId',
    url: (fx) => `/billing/charges/${fx.vars.chargeId}`,
    expect: { ...only(['therapist', 'admin'], 400, 401), clientB: 404 },
  },
  {
    route: 'POST /billing/charges/:chargeId/diagnoses',
    url: (fx) => `/billing/charges/${fx.vars.chargeId}/diagnoses`,
    expect: only(['therapist'], 303, 401),
    note: "the treating therapist reads the care plan's diagnoses (none here) into the charge",
  },
  { route: 'GET /billing/profile', expect: only(['therapist'], 200, 302) },
  {
    route: 'POST /billing/profile',
    expect: only(['therapist'], 303, 401),
    note: 'empty NPI and credentials',
  },
  { route: 'GET /admin/billing', expect: only(['admin'], 200, 302) },
  { route: 'POST /admin/billing/settings', expect: only(['admin'], 400, 401) },
  { route: 'POST /admin/billing/services', expect: only(['admin'], 400, 401) },
  {
    route: 'POST /admin/billing/services/:serviceId',
    url: `/admin/billing/services/${NO_SUCH_ID}`,
    expect: only(['admin'], 400, 401),
  },
  { route: 'POST /admin/billing/programs', expect: only(['admin'], 400, 401) },
  {
    route: 'POST /admin/billing/programs/:programId',
    url: `/admin/billing/programs/${NO_SUCH_ID}`,
    expect: only(['admin'], 400, 401),
  },
  {
    route: 'POST /admin/billing/types/:typeId',
    url: `/admin/billing/types/${NO_SUCH_ID}`,
    expect: only(['admin'], 404, 401),
  },
  { route: 'GET /admin/billing/receivables', expect: only(['admin'], 200, 302) },
];

// Messaging: a thread between clientA and their therapist, with one message carrying a file.
MATRIX_SETUP.push(async (fx) => {
  const { haven, users } = fx;
  await haven.clinical.care.assign(null, users.therapist.id, users.clientA.id);
  const client = { id: users.clientA.id, roles: users.clientA.roles };
  const threadId = await haven.messaging.inbox.open(client, users.therapist.id);
  const sent = await haven.messaging.messages.send(client, threadId, {
    body: 'matrix message',
    attachment: { bytes: Buffer.from('plain text file\n'), originalName: 'notes.txt' },
  });
  fx.vars.messageThreadId = threadId;
  fx.vars.messageId = sent.id;
  fx.vars.messageAttachmentId = sent.attachments[0]!.id;
});

// Clinical care: clientA is the therapist's client, with intake, scores, a draft note and an open alert.
MATRIX_SETUP.push(async (fx) => {
  const { haven, users } = fx;
  await haven.clinical.care.assign(null, users.therapist.id, users.clientA.id);
  const client = { id: users.clientA.id, roles: users.clientA.roles };
  const consent = await haven.clinical.intake.currentConsent();
  await haven.clinical.intake.signConsent(client, { typedName: 'Client A', version: consent.version });
  await haven.clinical.intake.submitIntake(client, {
    form: {
      emergencyContactName: 'Contact',
      emergencyContactPhone: '+1 555 0100',
      location: 'Oregon',
      reasons: 'matrix',
      goals: 'matrix',
    },
    phq9: { answers: [1, 1, 1, 1, 1, 1, 1, 1, 1] },
    gad7: { answers: [1, 1, 1, 1, 1, 1, 1] },
  });
  const [alert] = await haven.clinical.crisis.openFor({
    id: users.therapist.id,
    roles: users.therapist.roles,
  });
  fx.vars.crisisAlertId = alert!.id;
  const therapist = { id: users.therapist.id, roles: users.therapist.roles };
  fx.vars.clinicalNoteId = (await haven.clinical.notes.create(therapist, users.clientA.id, 'soap')).id;
  await haven.directory.saveOwnProfile(therapist, { bio: 'Matrix therapist', languages: 'English' });
});

// Live sessions: an ad-hoc room the therapist opened for clientA.
MATRIX_SETUP.push(async (fx) => {
  const { haven, users } = fx;
  await haven.clinical.care.assign(null, users.therapist.id, users.clientA.id);
  const therapist = {
    id: users.therapist.id,
    displayName: users.therapist.displayName,
    roles: users.therapist.roles,
  };
  fx.vars.roomId = (await haven.rooms.access.openAdhoc(therapist, [users.clientA.id], null)).id;
});

// Scheduling: the therapist's hours, a type, and clientA's booked appointment.
MATRIX_SETUP.push(async (fx) => {
  const { haven, users } = fx;
  const therapist = { id: users.therapist.id, roles: users.therapist.roles };
  await haven.scheduling.schedule.saveSchedule(therapist, users.therapist.id, {
    timeZone: 'Europe/London',
    minNoticeMinutes: 0,
    horizonDays: 30,
    slotStepMinutes: 60,
    bookingMode: 'direct',
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
  });
  const type = await haven.scheduling.schedule.createType(therapist, {
    name: 'Matrix session',
    durationMinutes: 50,
    format: 'video',
    kind: 'individual',
  });
  const listing = await haven.scheduling.schedule.listSlots({
    therapistId: users.therapist.id,
    typeId: type.id,
    zone: 'Europe/London',
    // Four days ahead, so three days with free times whatever the hour (after the day's last slot,
    // today has none and the listing starts tomorrow).
    days: 4,
  });
  const start = listing.days[1]!.slots[0]!.start.toISOString();
  fx.vars.sessionTypeId = type.id;
  fx.vars.freeStart = listing.days[2]!.slots[0]!.start.toISOString();
  const client = { id: users.clientA.id, roles: users.clientA.roles };
  fx.vars.appointmentId = (
    await haven.scheduling.booking.bookAsClient(client, {
      therapistId: users.therapist.id,
      typeId: type.id,
      start,
    })
  ).id;
});

// Groups: a group facilitated by the peer supporter, with clientA as an active member.
MATRIX_SETUP.push(async (fx) => {
  const { haven, users } = fx;
  const group = await haven.groups.create(
    { id: users.peer.id, roles: users.peer.roles },
    {
      topic: 'Matrix group',
      description: 'A group for the route matrix.',
      capacity: 8,
      membership: 'open',
      facilitatorIds: [users.peer.id],
    },
  );
  const member = await haven.groups.join(
    { id: users.clientA.id, roles: users.clientA.roles },
    group.id,
    'Matrix Member',
  );
  fx.vars.groupId = group.id;
  fx.vars.groupMemberId = member.id;
  const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const [meeting] = await haven.groupMeetings.schedule(
    { id: users.peer.id, roles: users.peer.roles },
    group.id,
    { date: nextWeek.slice(0, 10), time: '18:00', durationMinutes: 60 },
    'UTC',
  );
  fx.vars.groupMeetingId = meeting?.id ?? '';
});

// Care planning: clientA's diagnosis, signed plan, exercise and safety plan, written by the therapist.
MATRIX_SETUP.push(async (fx) => {
  const { haven, users } = fx;
  await haven.clinical.care.assign(null, users.therapist.id, users.clientA.id);
  const therapist = { id: users.therapist.id, roles: users.therapist.roles };
  const { diagnoses, plans, homework } = haven.carePlanning;
  fx.vars.diagnosisId = (
    await diagnoses.add(therapist, users.clientA.id, {
      code: 'F41.1',
      rank: 'primary',
      onsetOn: '2026-01-05',
    })
  ).id;
  const interventions = await plans.interventions();
  fx.vars.interventionId = interventions[0]!.id;
  const draft = await plans.startDraft(therapist, users.clientA.id);
  await plans.saveDraft(
    therapist,
    draft.id,
    {
      presentingProblems: 'Matrix presenting problems',
      g0_client: 'Sleep through the night',
      g0_o0_text: 'PHQ-9 below 10',
      g0_o0_measure: 'phq9',
      g0_o0_below: '10',
      g0_interventions: [interventions[0]!.label],
    },
    draft.revision,
  );
  fx.vars.carePlanId = (await plans.sign(therapist, draft.id)).id;
  fx.vars.homeworkId = (
    await homework.assign(therapist, users.clientA.id, {
      exercise: 'thought_record',
      instructions: 'Matrix exercise',
      dueOn: '2026-12-31',
    })
  ).id;
  await homework.saveSafetyPlan(therapist, users.clientA.id, { warningSigns: 'Matrix warning signs' });
});

// Billing: one charge for clientA (written as the attendance event would; the matrix's appointment
// is in the future), invoiced by the admin.
MATRIX_SETUP.push(async (fx) => {
  const { haven, users } = fx;
  await haven.clinical.care.assign(null, users.therapist.id, users.clientA.id);
  const service = (await haven.billing.catalog.services()).find((x) => x.code === '90834')!;
  const chargeId = '11111111-1111-4111-8111-111111111111';
  const now = new Date();
  await haven.sequelize.getQueryInterface().bulkInsert('billing_charges', [
    {
      id: chargeId,
      client_id: users.clientA.id,
      therapist_id: users.therapist.id,
      appointment_id: null,
      origin: 'session',
      service_id: service.id,
      date_of_service: now.toISOString().slice(0, 10),
      units: 1,
      unit_fee_minor: 9000,
      amount_minor: 9000,
      place_of_service: '02',
      place_confirmed: false,
      modifiers: '95',
      diagnoses_enc: null,
      program_id: null,
      invoice_id: null,
      adjusted_by: null,
      adjustment_reason_enc: null,
      created_at: now,
      updated_at: now,
    },
  ]);
  const admin = { id: users.admin.id, roles: users.admin.roles };
  fx.vars.invoiceId = (await haven.billing.invoices.issue(admin, users.clientA.id)).id;
  fx.vars.chargeId = chargeId;
});

// Invited guests: an appointment of the therapist with clientA that is open now, with a guest the
// rows may remove. The guest caller's pass comes from `newGuestToken` (a link is used up once).
MATRIX_SETUP.push(async (fx) => {
  const { haven, users } = fx;
  const therapist = { id: users.therapist.id, roles: users.therapist.roles };
  const start = new Date(Date.now() + 5 * 60_000).toISOString();
  fx.vars.guestAppointmentId = (
    await haven.scheduling.booking.bookForClient(therapist, {
      typeId: fx.vars.sessionTypeId!,
      clientIds: [users.clientA.id],
      start,
    })
  ).id;
  const [removable] = await inviteGuest(fx, 'Removable Guest');
  fx.vars.removableGuestId = removable!.guestId;
});

function inviteGuest(fx: MatrixFixtures, displayName: string) {
  const { users } = fx;
  const host = {
    id: users.therapist.id,
    displayName: users.therapist.displayName,
    roles: users.therapist.roles,
  };
  return fx.haven.rooms.guests.invite(
    host,
    fx.vars.guestAppointmentId!,
    { role: 'interpreter', displayName, email: 'interpreter@example.org', language: 'Spanish' },
    null,
  );
}

/** A fresh, unused guest link to the matrix's open appointment (the guest caller's way in). */
export async function newGuestToken(fx: MatrixFixtures): Promise<string> {
  const [link] = await inviteGuest(fx, 'Matrix Guest');
  return link!.token;
}
