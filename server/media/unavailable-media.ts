import { AppError, phrase } from '../shared/errors';

/**
 * The media port when no worker could start (or live sessions are switched off, as in most tests):
 * entering a room still works, starting media answers `media.unavailable`.
 */
export const UNAVAILABLE_MEDIA = {
  room(): Promise<never> {
    return Promise.reject(
      new AppError('media.unavailable', 'unavailable', phrase('errors:room.mediaUnavailable')),
    );
  },
  async existingRoom(): Promise<null> {
    return null;
  },
};
