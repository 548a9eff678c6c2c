import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface MeetingRow {
  id: string;
  group_id: string;
  starts_at: Date;
  ends_at: Date;
  created_by: string;
  created_at: Date;
  cancelled_at: Date | null;
}
export interface RemovalRow {
  meeting_id: string;
  member_id: string;
  removed_by: string;
  created_at: Date;
}
export interface ReportRow {
  id: string;
  group_id: string;
  meeting_id: string | null;
  reporter_member_id: string;
  about_member_id: string | null;
  message_id: string | null;
  /** FieldCipher ciphertext, context `peer_group_reports.reason:<id>`. */
  reason_enc: string;
  created_at: Date;
}

export interface MeetingModels {
  readonly meetings: ModelStatic<Model<MeetingRow, MeetingRow>>;
  readonly removals: ModelStatic<Model<RemovalRow, RemovalRow>>;
  readonly reports: ModelStatic<Model<ReportRow, ReportRow>>;
}

const str = (primaryKey = false, allowNull = false) => ({
  type: DataTypes.STRING(36),
  allowNull,
  primaryKey,
});
const at = (allowNull = false) => ({ type: DataTypes.DATE, allowNull });
const options = { timestamps: false, underscored: true } as const;

export function defineMeetingModels(sequelize: Sequelize): MeetingModels {
  const meetings = sequelize.define<Model<MeetingRow, MeetingRow>>(
    'PeerGroupMeeting',
    {
      id: str(true),
      group_id: str(),
      starts_at: at(),
      ends_at: at(),
      created_by: str(),
      created_at: at(),
      cancelled_at: at(true),
    },
    { ...options, tableName: 'peer_group_meetings' },
  );
  const removals = sequelize.define<Model<RemovalRow, RemovalRow>>(
    'PeerGroupMeetingRemoval',
    { meeting_id: str(true), member_id: str(true), removed_by: str(), created_at: at() },
    { ...options, tableName: 'peer_group_meeting_removals' },
  );
  const reports = sequelize.define<Model<ReportRow, ReportRow>>(
    'PeerGroupReport',
    {
      id: str(true),
      group_id: str(),
      meeting_id: str(false, true),
      reporter_member_id: str(),
      about_member_id: str(false, true),
      message_id: str(false, true),
      reason_enc: { type: DataTypes.TEXT, allowNull: false },
      created_at: at(),
    },
    { ...options, tableName: 'peer_group_reports' },
  );
  return { meetings, removals, reports };
}
