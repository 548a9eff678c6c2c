import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  status: 'active' | 'deactivated';
  is_demo: boolean;
  full_name: string | null;
  time_zone: string;
  language: string;
  email_verified_at: Date | null;
  password_changed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface UserRoleRow {
  user_id: string;
  role: string;
  granted_at: Date;
}

export interface AccountModels {
  readonly users: ModelStatic<Model<UserRow>>;
  readonly roles: ModelStatic<Model<UserRoleRow>>;
}

export function defineAccountModels(sequelize: Sequelize): AccountModels {
  const users = sequelize.define<Model<UserRow>>(
    'User',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      email: { type: DataTypes.STRING(320), allowNull: false, unique: true },
      display_name: { type: DataTypes.STRING(120), allowNull: false },
      password_hash: { type: DataTypes.STRING(255), allowNull: true },
      status: { type: DataTypes.STRING(20), allowNull: false },
      is_demo: { type: DataTypes.BOOLEAN, allowNull: false },
      full_name: { type: DataTypes.STRING(200), allowNull: true },
      time_zone: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'UTC' },
      language: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'en' },
      email_verified_at: { type: DataTypes.DATE, allowNull: true },
      password_changed_at: { type: DataTypes.DATE, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'users' },
  );
  const roles = sequelize.define<Model<UserRoleRow>>(
    'UserRole',
    {
      user_id: { type: DataTypes.STRING(36), primaryKey: true },
      role: { type: DataTypes.STRING(20), primaryKey: true },
      granted_at: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'user_roles' },
  );
  return { users, roles };
}
