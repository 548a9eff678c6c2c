/**
 * Who may use the admin console. Pure functions; the HTTP layer's `requireRole('admin')` is the first
 * gate and each service checks again, so a future caller (a CLI, a socket) cannot skip the rule.
 */
export interface AdminActor {
  readonly id: string;
  readonly roles: readonly string[];
  /** Deactivated people never reach here through the web (their session finds no user), but say it. */
  readonly status?: 'active' | 'deactivated';
  readonly ip?: string | null;
}

export function isAdmin(actor: AdminActor | null | undefined): actor is AdminActor {
  return !!actor && actor.roles.includes('admin') && actor.status !== 'deactivated';
}

/** An admin may not deactivate themself (the clinic could lose its last way in). */
export function canDeactivate(actor: AdminActor, targetId: string): boolean {
  return isAdmin(actor) && actor.id !== targetId;
}

/** Resetting one's own second factor from the console would skip the recovery-code flow. */
export function canResetTwoFactor(actor: AdminActor, targetId: string): boolean {
  return isAdmin(actor) && actor.id !== targetId;
}
