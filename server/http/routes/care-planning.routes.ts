import { Router } from 'express';
import type { CarePlanning } from '../../care-planning';
import type { ClinicalServices } from '../../clinical';
import type { Clock } from '../../shared/clock';
import { careClientRoutes } from './care-client.routes';
import { careStaffRoutes } from './care-staff.routes';

export interface CarePlanningRoutesDeps {
  readonly carePlanning: CarePlanning;
  readonly clinical: ClinicalServices;
  /** Names for pages (AccountsService fits). */
  readonly people: { byId(id: string): Promise<{ displayName: string } | null> };
  /** Crisis resources printed on the safety plan (the clinic's current text). */
  /** The crisis resources for a reader of `language`. */
  readonly crisisResources: (language: string) => string;
  readonly clinicName: () => Promise<string>;
  /** The services' clock: goal status and overdue reviews on the pages use the same "now". */
  readonly clock: Clock;
}

/**
 * Care planning pages (issue 18): the therapist's care page for one client (diagnoses, plan, exercises,
 * safety plan), the plan editor and versions, and the client's plan, exercises and safety plan.
 * Every read and write goes through a care-planning service, which checks the policy and audits.
 */
export function carePlanningRoutes(deps: CarePlanningRoutesDeps): Router {
  const router = Router();
  router.use(careStaffRoutes(deps));
  router.use(careClientRoutes(deps));
  return router;
}
