import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** Row shapes exactly as stored (snake_case). Repositories turn them into plain domain objects. */
export interface AppointmentTypeRow {
  id: string;
  name: string;
  duration_minutes: number;
  format: string;
  kind: string;
  capacity: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface TherapistScheduleRow {
  therapist_id: string;
  time_zone: string;
  min_notice_minutes: number;
  horizon_days: number;
  slot_step_minutes: number;
  booking_mode: string;
  updated_at: Date;
}

export interface AvailabilityWindowRow {
  id: string;
  therapist_id: string;
  weekday: number;
  start_minute: number;
  end_minute: number;
}

export interface AvailabilityExceptionRow {
  id: string;
  therapist_id: string;
  date: string;
  kind: string;
  start_minute: number | null;
  end_minute: number | null;
  created_at: Date;
}

export interface SeriesRow {
  id: string;
  therapist_id: string;
  frequency: string;
  occurrence_count: number | null;
  until_date: string | null;
  time_zone: string;
  created_by: string;
  created_at: Date;
}

export interface AppointmentRow {
  id: string;
  therapist_id: string;
  appointment_type_id: string;
  series_id: string | null;
  start_at: Date;
  end_at: Date;
  block_start_at: Date;
  block_end_at: Date;
  status: string;
  format: string;
  sequence: number;
  reason_cipher: string | null;
  booked_by: string;
  late_cancellation: boolean;
  /** The therapist chose end-to-end encrypted media for this session (ROOM_E2EE=per-session). */
  e2ee_chosen: boolean;
  cancelled_by: string | null;
  cancelled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface ParticipantRow {
  appointment_id: string;
  client_id: string;
}

export interface SlotClaimRow {
  therapist_id: string;
  grain_minute: number;
  appointment_id: string;
}

export interface CalendarFeedRow {
  user_id: string;
  token_hash: string;
  created_at: Date;
}

export interface SchedulingModels {
  readonly types: ModelStatic<Model<AppointmentTypeRow>>;
  readonly schedules: ModelStatic<Model<TherapistScheduleRow>>;
  readonly windows: ModelStatic<Model<AvailabilityWindowRow>>;
  readonly exceptions: ModelStatic<Model<AvailabilityExceptionRow>>;
  readonly series: ModelStatic<Model<SeriesRow>>;
  readonly appointments: ModelStatic<Model<AppointmentRow>>;
  readonly participants: ModelStatic<Model<ParticipantRow>>;
  readonly claims: ModelStatic<Model<SlotClaimRow>>;
  readonly feeds: ModelStatic<Model<CalendarFeedRow>>;
}

// Factories, not shared objects: Sequelize annotates attribute objects in place while defining a model.
const id = () => ({ type: DataTypes.STRING(36), primaryKey: true });
const int = () => ({ type: DataTypes.INTEGER, allowNull: false });
const text = (n: number) => ({ type: DataTypes.STRING(n), allowNull: false });
const date = () => ({ type: DataTypes.DATE, allowNull: false });

export function defineSchedulingModels(sequelize: Sequelize): SchedulingModels {
  const types = sequelize.define<Model<AppointmentTypeRow>>(
    'AppointmentType',
    {
      id: id(),
      name: text(120),
      duration_minutes: int(),
      format: text(10),
      kind: text(12),
      capacity: int(),
      buffer_before_minutes: int(),
      buffer_after_minutes: int(),
      active: { type: DataTypes.BOOLEAN, allowNull: false },
      created_at: date(),
      updated_at: date(),
    },
    { tableName: 'appointment_types' },
  );
  const schedules = sequelize.define<Model<TherapistScheduleRow>>(
    'TherapistSchedule',
    {
      therapist_id: id(),
      time_zone: text(64),
      min_notice_minutes: int(),
      horizon_days: int(),
      slot_step_minutes: int(),
      booking_mode: text(10),
      updated_at: date(),
    },
    { tableName: 'therapist_schedules' },
  );
  const windows = sequelize.define<Model<AvailabilityWindowRow>>(
    'AvailabilityWindow',
    { id: id(), therapist_id: text(36), weekday: int(), start_minute: int(), end_minute: int() },
    { tableName: 'availability_windows' },
  );
  const exceptions = sequelize.define<Model<AvailabilityExceptionRow>>(
    'AvailabilityException',
    {
      id: id(),
      therapist_id: text(36),
      date: text(10),
      kind: text(12),
      start_minute: { type: DataTypes.INTEGER, allowNull: true },
      end_minute: { type: DataTypes.INTEGER, allowNull: true },
      created_at: date(),
    },
    { tableName: 'availability_exceptions' },
  );
  const series = sequelize.define<Model<SeriesRow>>(
    'AppointmentSeries',
    {
      id: id(),
      therapist_id: text(36),
      frequency: text(10),
      occurrence_count: { type: DataTypes.INTEGER, allowNull: true },
      until_date: { type: DataTypes.STRING(10), allowNull: true },
      time_zone: text(64),
      created_by: text(36),
      created_at: date(),
    },
    { tableName: 'appointment_series' },
  );
  const appointments = sequelize.define<Model<AppointmentRow>>(
    'Appointment',
    {
      id: id(),
      therapist_id: text(36),
      appointment_type_id: text(36),
      series_id: { type: DataTypes.STRING(36), allowNull: true },
      start_at: date(),
      end_at: date(),
      block_start_at: date(),
      block_end_at: date(),
      status: text(12),
      format: text(10),
      sequence: int(),
      reason_cipher: { type: DataTypes.TEXT, allowNull: true },
      booked_by: text(36),
      late_cancellation: { type: DataTypes.BOOLEAN, allowNull: false },
      e2ee_chosen: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      cancelled_by: { type: DataTypes.STRING(36), allowNull: true },
      cancelled_at: { type: DataTypes.DATE, allowNull: true },
      created_at: date(),
      updated_at: date(),
    },
    { tableName: 'appointments' },
  );
  const participants = sequelize.define<Model<ParticipantRow>>(
    'AppointmentParticipant',
    { appointment_id: id(), client_id: id() },
    { tableName: 'appointment_participants' },
  );
  const claims = sequelize.define<Model<SlotClaimRow>>(
    'AppointmentSlotClaim',
    {
      therapist_id: id(),
      grain_minute: { type: DataTypes.INTEGER, primaryKey: true },
      appointment_id: text(36),
    },
    { tableName: 'appointment_slot_claims' },
  );
  const feeds = sequelize.define<Model<CalendarFeedRow>>(
    'CalendarFeed',
    { user_id: id(), token_hash: text(64), created_at: date() },
    { tableName: 'calendar_feeds' },
  );
  return { types, schedules, windows, exceptions, series, appointments, participants, claims, feeds };
}
