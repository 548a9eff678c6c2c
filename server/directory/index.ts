import type { Sequelize } from 'sequelize';
import { DirectoryRepository } from './directory.repository';
import { DirectoryService, type DirectoryDeps } from './directory.service';
import { InvitedLicenceRepository } from './invited-licences';

export { DirectoryService, type DirectoryActor, type NextSlotLookup } from './directory.service';
export { LicenceWatch } from './licence-watch';
export { nextSlotFrom, type SlotSource } from './next-slot';
export type { PractitionerProfile, PractitionerKind } from './directory.repository';
export type { Match, MatchPreferences, MatchReason } from './matching';
export { jurisdictionFits, rankMatches } from './matching';
export { licenceStatus, licenceAllowsNewBookings, EXPIRY_WARNING_DAYS, type LicenceStatus } from './licence';
export { takesBookings, type Booker } from './booking-standing';
export { directoryFilterSchema, type DirectoryFilter, type InvitedLicenceInput } from './directory.schemas';
export { canBrowseDirectory, canEditOwnProfile, canVerifyLicence } from './directory.policy';
export * from './vocabulary';
export {
  PhotoStore,
  PHOTO_MAX_BYTES,
  PHOTO_SIZE_PX,
  sniffPhotoType,
  tooLarge as photoTooLarge,
} from './photos';

export function createDirectory(
  sequelize: Sequelize,
  deps: Omit<DirectoryDeps, 'repo' | 'invited'>,
): DirectoryService {
  return new DirectoryService({
    ...deps,
    repo: new DirectoryRepository(sequelize),
    invited: new InvitedLicenceRepository(sequelize),
  });
}
