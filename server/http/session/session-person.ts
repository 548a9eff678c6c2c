import type { IncomingMessage } from 'node:http';
import type { User } from '../../accounts';

/**
 * The person the session read brought along (one statement for the session row and its person),
 * handed from the store to passport's deserializer of the same request, so the person is not read
 * again. Works for every method (a POST has no request memo): the store tags the session data it
 * returns, express-session hands that object to the store's `createSession(req, data)`, which
 * moves the person to the request, and the deserializer takes it once. WeakMaps, so a request or
 * session object that never gets that far leaves nothing behind.
 */
const personOfData = new WeakMap<object, User>();
const personOfRequest = new WeakMap<IncomingMessage, User>();

/** The store's read: `data` (what it returns to express-session) was read with `person`. */
export function tagSessionData(data: object, person: User | null): void {
  if (person) personOfData.set(data, person);
}

/** The store's `createSession`: the request whose session `data` is now. */
export function handSessionPersonTo(req: IncomingMessage, data: object): void {
  const person = personOfData.get(data);
  if (!person) return;
  personOfData.delete(data);
  personOfRequest.set(req, person);
}

/**
 * The deserializer's: the person read with this request's session if it is `id` (the session's
 * `passport.user`), once; undefined when the session read brought nobody or someone else, and the
 * caller reads the person as before.
 */
export function takeSessionPerson(req: IncomingMessage, id: string): User | undefined {
  const person = personOfRequest.get(req);
  personOfRequest.delete(req);
  return person?.id === id ? person : undefined;
}
