import type { Logger } from '../shared/logger';
import type { RoomsRepository } from './rooms.repository';
import type { RoomHome } from './rooms.types';

/**
 * A room came to this node because its earlier node died or stopped (issue 22, step 6). The
 * attendance that node left open is closed when it was last heard (the best known end of those
 * connections), and the people it had admitted are returned with that moment, so that within the
 * seat hold they are admitted again on coming back, as after a reload on one node; their new
 * attendance opens when they do. Only rows opened before the move are the old node's.
 */
export async function takeOverAttendance(
  repo: RoomsRepository,
  logger: Logger,
  roomId: string,
  from: NonNullable<RoomHome['movedFrom']>,
): Promise<Map<string, Date>> {
  const carried = new Map<string, Date>();
  try {
    for (const row of await repo.openAttendanceBefore(roomId, from.movedAt)) {
      const end = Math.max(row.joinedAt.getTime(), from.lastSeenAt.getTime());
      await repo.closeAttendance(row.id, new Date(end));
      carried.set(row.userId, from.lastSeenAt);
    }
  } catch (error) {
    // Nobody is carried over then: they knock again, which is safe.
    logger.error({ err: error, roomId }, 'could not take over the attendance of a dead node');
  }
  return carried;
}
