import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface GroupRow {
  id: string;
  topic: string;
  description: string;
  capacity: number;
  membership: 'open' | 'approval';
  created_by: string;
  created_at: Date;
  archived_at: Date | null;
}
export interface FacilitatorRow {
  group_id: string;
  user_id: string;
}
export interface GuidelinesRow {
  group_id: string;
  version: number;
  text: string;
  created_by: string;
  created_at: Date;
}
export interface MemberRow {
  id: string;
  group_id: string;
  user_id: string;
  pseudonym: string;
  pseudonym_key: string;
  status: 'pending' | 'active' | 'removed' | 'blocked';
  guidelines_version: number | null;
  joined_at: Date;
  changed_at: Date;
}

export interface GroupModels {
  readonly groups: ModelStatic<Model<GroupRow, GroupRow>>;
  readonly facilitators: ModelStatic<Model<FacilitatorRow, FacilitatorRow>>;
  readonly guidelines: ModelStatic<Model<GuidelinesRow, GuidelinesRow>>;
  readonly members: ModelStatic<Model<MemberRow, MemberRow>>;
}

const str = (n: number, primaryKey = false) => ({ type: DataTypes.STRING(n), allowNull: false, primaryKey });
const options = { timestamps: false, underscored: true } as const;

export function defineGroupModels(sequelize: Sequelize): GroupModels {
  const groups = sequelize.define<Model<GroupRow, GroupRow>>(
    'PeerGroup',
    {
      id: str(36, true),
      topic: str(120),
      description: { type: DataTypes.TEXT, allowNull: false },
      capacity: { type: DataTypes.INTEGER, allowNull: false },
      membership: str(20),
      created_by: str(36),
      created_at: { type: DataTypes.DATE, allowNull: false },
      archived_at: { type: DataTypes.DATE, allowNull: true },
    },
    { ...options, tableName: 'peer_groups' },
  );
  const facilitators = sequelize.define<Model<FacilitatorRow, FacilitatorRow>>(
    'PeerGroupFacilitator',
    { group_id: str(36, true), user_id: str(36, true) },
    { ...options, tableName: 'peer_group_facilitators' },
  );
  const guidelines = sequelize.define<Model<GuidelinesRow, GuidelinesRow>>(
    'PeerGroupGuidelines',
    {
      group_id: str(36, true),
      version: { type: DataTypes.INTEGER, primaryKey: true },
      text: { type: DataTypes.TEXT, allowNull: false },
      created_by: str(36),
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    { ...options, tableName: 'peer_group_guidelines' },
  );
  const members = sequelize.define<Model<MemberRow, MemberRow>>(
    'PeerGroupMember',
    {
      id: str(36, true),
      group_id: str(36),
      user_id: str(36),
      pseudonym: str(40),
      pseudonym_key: str(40),
      status: str(20),
      guidelines_version: { type: DataTypes.INTEGER, allowNull: true },
      joined_at: { type: DataTypes.DATE, allowNull: false },
      changed_at: { type: DataTypes.DATE, allowNull: false },
    },
    { ...options, tableName: 'peer_group_members' },
  );
  return { groups, facilitators, guidelines, members };
}
