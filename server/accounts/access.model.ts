import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface SessionRow {
  id: string;
  user_id: string | null;
  data: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface TotpRow {
  user_id: string;
  secret_encrypted: string;
  enabled_at: Date | null;
  last_used_step: number | string | null;
  created_at: Date;
}

export interface RecoveryCodeRow {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: Date | null;
  created_at: Date;
}

export type TokenPurpose = 'verify_email' | 'reset_password';

export interface AccountTokenRow {
  id: string;
  user_id: string;
  purpose: TokenPurpose;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Date;
}

export interface InvitationRow {
  id: string;
  email: string;
  role: string;
  invited_by: string;
  token_hash: string;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_user_id: string | null;
  revoked_at: Date | null;
  created_at: Date;
}

export interface ClinicSettingsRow {
  id: string;
  clinic_name: string | null;
  self_signup: boolean;
  setup_completed_at: Date | null;
  updated_at: Date;
}

export interface AccessModels {
  readonly sessions: ModelStatic<Model<SessionRow>>;
  readonly totp: ModelStatic<Model<TotpRow>>;
  readonly recoveryCodes: ModelStatic<Model<RecoveryCodeRow>>;
  readonly tokens: ModelStatic<Model<AccountTokenRow>>;
  readonly invitations: ModelStatic<Model<InvitationRow>>;
  readonly clinicSettings: ModelStatic<Model<ClinicSettingsRow>>;
}

// Functions, not shared objects: Sequelize writes the field name into each attribute definition.
const id36 = () => ({ type: DataTypes.STRING(36), primaryKey: true });
const date = () => ({ type: DataTypes.DATE, allowNull: false });
const maybeDate = () => ({ type: DataTypes.DATE, allowNull: true });

/** Tables added by migration 20261126-0101 (see there for why each secret is hashed or encrypted). */
export function defineAccessModels(sequelize: Sequelize): AccessModels {
  const sessions = sequelize.define<Model<SessionRow>>(
    'Session',
    {
      id: { type: DataTypes.STRING(64), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: true },
      data: { type: DataTypes.TEXT, allowNull: false },
      created_at: date(),
      last_seen_at: date(),
      expires_at: date(),
      ip: { type: DataTypes.STRING(64), allowNull: true },
      user_agent: { type: DataTypes.STRING(300), allowNull: true },
    },
    { tableName: 'sessions' },
  );
  const totp = sequelize.define<Model<TotpRow>>(
    'UserTotp',
    {
      user_id: id36(),
      secret_encrypted: { type: DataTypes.TEXT, allowNull: false },
      enabled_at: maybeDate(),
      last_used_step: { type: DataTypes.BIGINT, allowNull: true },
      created_at: date(),
    },
    { tableName: 'user_totp' },
  );
  const recoveryCodes = sequelize.define<Model<RecoveryCodeRow>>(
    'RecoveryCode',
    {
      id: id36(),
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      code_hash: { type: DataTypes.STRING(128), allowNull: false },
      used_at: maybeDate(),
      created_at: date(),
    },
    { tableName: 'recovery_codes' },
  );
  const tokens = sequelize.define<Model<AccountTokenRow>>(
    'AccountToken',
    {
      id: id36(),
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      purpose: { type: DataTypes.STRING(20), allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      expires_at: date(),
      used_at: maybeDate(),
      created_at: date(),
    },
    { tableName: 'account_tokens' },
  );
  const invitations = sequelize.define<Model<InvitationRow>>(
    'Invitation',
    {
      id: id36(),
      email: { type: DataTypes.STRING(320), allowNull: false },
      role: { type: DataTypes.STRING(20), allowNull: false },
      invited_by: { type: DataTypes.STRING(36), allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      expires_at: date(),
      accepted_at: maybeDate(),
      accepted_user_id: { type: DataTypes.STRING(36), allowNull: true },
      revoked_at: maybeDate(),
      created_at: date(),
    },
    { tableName: 'invitations' },
  );
  const clinicSettings = sequelize.define<Model<ClinicSettingsRow>>(
    'ClinicSettings',
    {
      id: { type: DataTypes.STRING(20), primaryKey: true },
      clinic_name: { type: DataTypes.STRING(120), allowNull: true },
      self_signup: { type: DataTypes.BOOLEAN, allowNull: false },
      setup_completed_at: maybeDate(),
      updated_at: date(),
    },
    { tableName: 'clinic_settings' },
  );
  return { sessions, totp, recoveryCodes, tokens, invitations, clinicSettings };
}
