/**
 * Haven's one error vocabulary, as a typed union. Services throw `new AppError(code)` with one of
 * these; the HTTP error handler and the socket ack mapper pass the code on; pages and tests match on
 * it. A code that is not listed here does not compile, so a typo cannot reach a person's screen or
 * slip past a test. Grouped by the feature that owns each code.
 */

type AccountsErrorCode =
  | 'accounts.current_password_wrong'
  | 'accounts.email_invalid'
  | 'accounts.email_taken'
  | 'accounts.language_invalid'
  | 'accounts.invalid_user'
  | 'accounts.password_invalid'
  | 'accounts.profile_invalid'
  | 'accounts.roles_forbidden'
  | 'accounts.roles_invalid'
  | 'accounts.user_not_found'
  | 'auth.forbidden'
  | 'auth.required'
  | 'auth.too_many_attempts'
  | 'auth.two_factor_required'
  | 'invitation.email_taken'
  | 'language.not_offered'
  | 'invitation.forbidden'
  | 'invitation.form_invalid'
  | 'invitation.invalid'
  | 'invitation.not_found'
  | 'invitation.not_pending'
  | 'invitation.signed_in'
  | 'reset_password.invalid_token'
  | 'verify_email.invalid_token'
  | 'setup.already_done'
  | 'setup.invalid'
  | 'setup.required'
  | 'signup.closed'
  | 'signup.invalid'
  | 'two_factor.not_enabled'
  | 'two_factor.required'
  | 'two_factor.wrong_code';

type AdminErrorCode =
  | 'admin.already_active'
  | 'admin.already_deactivated'
  | 'admin.audit_query'
  | 'admin.bad_upload'
  | 'admin.choose_therapist'
  | 'admin.forbidden'
  | 'admin.logo_missing'
  | 'admin.logo_too_large'
  | 'admin.logo_type'
  | 'admin.logo_unreadable'
  | 'admin.no_logo'
  | 'admin.outbox_not_failed'
  | 'admin.override_length'
  | 'admin.override_placeholders'
  | 'admin.person_not_found'
  | 'admin.reason_required'
  | 'admin.settings_invalid'
  | 'admin.unknown_language'
  | 'admin.unknown_string_key'
  | 'outbox.not_found';

type SchedulingErrorCode =
  | 'appointment.already_started'
  | 'appointment.change_by_therapist'
  | 'appointment.change_too_late'
  | 'appointment.duplicate_client'
  | 'appointment.e2ee_not_offered'
  | 'appointment.forbidden'
  | 'appointment.in_the_past'
  | 'appointment.invalid'
  | 'appointment.not_active'
  | 'appointment.not_found'
  | 'appointment.not_in_series'
  | 'appointment.not_started'
  | 'appointment.not_your_client'
  | 'appointment.self'
  | 'appointment.slot_taken'
  | 'appointment.slot_unavailable'
  | 'appointment.therapist_unavailable'
  | 'appointment.too_many_clients'
  | 'appointment.type_needs_therapist'
  | 'appointment.unknown_client'
  | 'appointment.unknown_therapist'
  | 'appointment.wrong_status'
  | 'appointment_type.forbidden'
  | 'appointment_type.invalid'
  | 'appointment_type.not_found'
  | 'calendar_feed.not_found'
  | 'schedule.exception_not_found'
  | 'schedule.forbidden'
  | 'schedule.invalid'
  | 'schedule.invalid_exception'
  | 'schedule.not_found'
  | 'schedule.not_set_up'
  | 'series.conflicts'
  | 'series.invalid'
  | 'series.nothing_to_create'
  | 'slots.invalid_query';

type ClinicalErrorCode =
  | 'clinical.addendum_incomplete'
  | 'clinical.alert_not_found'
  | 'clinical.assignment_invalid'
  | 'clinical.assignment_not_found'
  | 'clinical.break_glass_reason'
  | 'clinical.care_not_found'
  | 'clinical.consent_changed'
  | 'clinical.consent_invalid'
  | 'clinical.consent_language'
  | 'clinical.consent_length'
  | 'clinical.consent_required'
  | 'clinical.feedback_invalid'
  | 'clinical.forbidden'
  | 'clinical.incomplete_answers'
  | 'clinical.intake_invalid'
  | 'clinical.not_a_client'
  | 'clinical.not_a_therapist'
  | 'clinical.not_author'
  | 'clinical.not_your_therapist'
  | 'clinical.note_changed'
  | 'clinical.note_empty'
  | 'clinical.note_not_found'
  | 'clinical.note_not_signed'
  | 'clinical.note_revision'
  | 'clinical.note_signed'
  | 'clinical.note_too_long'
  | 'clinical.safety_check_invalid'
  | 'clinical.same_therapist'
  | 'clinical.self_care'
  | 'clinical.unknown_measure'
  | 'clinical.unknown_template';

type DirectoryErrorCode =
  | 'directory.bad_upload'
  | 'directory.forbidden'
  | 'directory.invited_licence_invalid'
  | 'directory.licence_expired'
  | 'directory.licence_incomplete'
  | 'directory.no_photo'
  | 'directory.no_profile'
  | 'directory.photo_missing'
  | 'directory.photo_too_large'
  | 'directory.photo_type'
  | 'directory.photo_unreadable'
  | 'directory.profile_invalid'
  | 'directory.verify_invalid';

type GroupsErrorCode =
  | 'groups.alert_not_found'
  | 'groups.cannot_rejoin'
  | 'groups.forbidden'
  | 'groups.full'
  | 'groups.guidelines_changed'
  | 'groups.invalid'
  | 'groups.invalid_guidelines'
  | 'groups.invalid_pseudonym'
  | 'groups.invalid_reason'
  | 'groups.not_a_facilitator'
  | 'groups.not_found'
  | 'groups.not_pending'
  | 'groups.pseudonym_is_real_name'
  | 'groups.pseudonym_taken'
  | 'meeting.blocked'
  | 'meeting.camera_off'
  | 'meeting.forbidden'
  | 'meeting.guidelines_needed'
  | 'meeting.in_the_past'
  | 'meeting.invalid'
  | 'meeting.invalid_report'
  | 'meeting.muted'
  | 'meeting.no_such_member'
  | 'meeting.no_such_person'
  | 'meeting.not_a_meeting'
  | 'meeting.not_found'
  | 'meeting.removed';

type MessagingErrorCode =
  | 'messaging.attachment_missing'
  | 'messaging.attachment_too_large'
  | 'messaging.attachment_type'
  | 'messaging.bad_upload'
  | 'messaging.closed'
  | 'messaging.empty'
  | 'messaging.forbidden'
  | 'messaging.invalid_away_notice'
  | 'messaging.invalid_body'
  | 'messaging.not_allowed'
  | 'messaging.not_found'
  | 'messaging.retract_refused'
  | 'messaging.search_too_short';

type RoomsErrorCode =
  | 'guest.form_invalid'
  | 'guest.link_invalid'
  | 'guest.link_used'
  | 'guest.not_found'
  | 'guest.read_only'
  | 'guest.signed_in'
  | 'room.closed'
  | 'room.elsewhere'
  | 'room.e2ee_choice_closed'
  | 'room.e2ee_in_use'
  | 'room.e2ee_off'
  | 'room.e2ee_required'
  | 'room.forbidden'
  | 'room.full'
  | 'room.host_only'
  | 'room.invalid_client'
  | 'room.not_admitted'
  | 'room.not_admitted_peer'
  | 'room.not_found'
  | 'room.not_joined'
  | 'room.not_open'
  | 'room.not_waiting'
  | 'room.safety_check_required'
  | 'media.audio_only'
  | 'media.cannot_consume'
  | 'media.consumer_limit'
  | 'media.consumer_not_found'
  | 'media.producer_limit'
  | 'media.producer_not_found'
  | 'media.relay_after_admission'
  | 'media.rejected'
  | 'media.room_closed'
  | 'media.source_mismatch'
  | 'media.source_taken'
  | 'media.transport_limit'
  | 'media.transport_not_found'
  | 'media.unavailable';

type BillingErrorCode =
  | 'billing.amount_invalid'
  | 'billing.charge_invalid'
  | 'billing.charge_invoiced'
  | 'billing.details_invalid'
  | 'billing.forbidden'
  | 'billing.invoice_race'
  | 'billing.not_found'
  | 'billing.nothing_to_invoice'
  | 'billing.override_invalid'
  | 'billing.payment_invalid'
  | 'billing.payment_too_large'
  | 'billing.program_invalid'
  | 'billing.provider_invalid'
  | 'billing.range_invalid'
  | 'billing.service_invalid'
  | 'billing.settings_invalid'
  | 'billing.superbill_incomplete';

type CarePlanningErrorCode =
  | 'care.diagnosis_ended'
  | 'care.diagnosis_invalid'
  | 'care.diagnosis_not_found'
  | 'care.forbidden'
  | 'care.homework_changed'
  | 'care.homework_done'
  | 'care.homework_invalid'
  | 'care.homework_not_found'
  | 'care.homework_revision'
  | 'care.intervention_invalid'
  | 'care.intervention_not_found'
  | 'care.no_active_plan'
  | 'care.no_safety_plan'
  | 'care.plan_changed'
  | 'care.plan_client_signed'
  | 'care.plan_incomplete'
  | 'care.plan_invalid'
  | 'care.plan_not_active'
  | 'care.plan_not_found'
  | 'care.plan_revision'
  | 'care.plan_signed'
  | 'care.safety_plan_invalid'
  | 'care.unknown_code'
  | 'care.signature_invalid'
  | 'care.unknown_goal';

type CheckErrorCode =
  | 'check.invalid'
  | 'check.no_relay'
  | 'check.probe_exists'
  | 'check.probe_not_found'
  | 'check.probe_producing'
  | 'check.too_many';

type DataRightsErrorCode =
  | 'data_rights.already_decided'
  | 'data_rights.already_requested'
  | 'data_rights.confirmation'
  | 'data_rights.forbidden'
  | 'data_rights.not_found'
  | 'data_rights.reason'
  | 'data_rights.too_many_exports';

/** Failures of the platform rather than of a feature's rule. */
type PlatformErrorCode =
  | 'crypto.malformed_value'
  | 'crypto.tampered_value'
  | 'crypto.unknown_key'
  | 'db.busy'
  | 'http.bad_input'
  | 'http.bad_query'
  | 'http.csrf_invalid'
  | 'http.not_found'
  | 'http.nul_byte'
  | 'internal'
  | 'rate_limited'
  | 'validation.invalid_payload';

/** Every code a service may throw (as an AppError) or a transport may answer with. */
export type ErrorCode =
  | AccountsErrorCode
  | AdminErrorCode
  | SchedulingErrorCode
  | ClinicalErrorCode
  | CarePlanningErrorCode
  | BillingErrorCode
  | DirectoryErrorCode
  | GroupsErrorCode
  | MessagingErrorCode
  | RoomsErrorCode
  | CheckErrorCode
  | DataRightsErrorCode
  | PlatformErrorCode;

/** A browser's own failure to hear back (no ack within its time limit); never sent by the server. */
export type ClientSideErrorCode = 'timeout';
