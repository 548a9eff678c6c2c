/**
 * The kinds of appointment a fresh clinic starts with (migration 20261203-0102, fixed ids), by the
 * key their name has in the `scheduling` feature file. A page shows such a kind in its reader's
 * language only while it still has its shipped English name: once a clinic renames it, the name is
 * the clinic's own and is shown as they wrote it.
 */
const BUILT_IN: Readonly<Record<string, { readonly key: string; readonly name: string }>> = {
  '5d1f0c3e-7a51-4c1b-9c0e-1a0000000001': { key: 'intake', name: 'Intake' },
  '5d1f0c3e-7a51-4c1b-9c0e-1a0000000002': { key: 'session', name: 'Session' },
  '5d1f0c3e-7a51-4c1b-9c0e-1a0000000003': { key: 'couples', name: 'Couples session' },
  '5d1f0c3e-7a51-4c1b-9c0e-1a0000000004': { key: 'checkIn', name: 'Check-in' },
};

/** `scheduling:builtInType.<key>` for a built-in kind still under its shipped name, else null. */
export function builtInTypeKey(type: { readonly id: string; readonly name: string }): string | null {
  const shipped = BUILT_IN[type.id];
  return shipped && shipped.name === type.name ? `scheduling:builtInType.${shipped.key}` : null;
}
