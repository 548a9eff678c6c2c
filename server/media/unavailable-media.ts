import { AppError } from '../shared/errors';

/**
 * The media port when no worker could start (or live sessions are switched off, as in most tests):
 * entering a room still works, starting media answers `media.unavailable`.
 */
export const UNAVAILABLE_MEDIA = {
  room(): Promise<never> {
    return Promise.reject(
      new AppError('media.unavailable', 'unavailable', 'The media server is not available right now.'),
    );
  },
  async existingRoom(): Promise<null> {
    return null;
  },
};
