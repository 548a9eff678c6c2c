import type { Request } from 'express';
import type { AdminActor } from '../../admin';
import { clientIp } from './route-helpers';

/** The signed-in person as the admin services see them (requireRole has already let them in). */
export function adminActor(req: Request): AdminActor {
  const user = req.user!;
  return { id: user.id, roles: user.roles, status: user.status, ip: clientIp(req) };
}
