import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { Licence } from './licence';

interface InvitedLicenceRow {
  invitation_id: string;
  email: string;
  licence_type: string;
  licence_number: string;
  licence_jurisdiction: string;
  licence_expires_on: string;
  verified_by: string;
  verified_at: Date;
  verification_method: string;
}

/** A licence an admin checked when inviting a therapist: verified facts waiting for their profile. */
export interface InvitedLicence {
  readonly invitationId: string;
  readonly email: string;
  readonly licence: Licence & { readonly verifiedAt: Date; readonly verifiedBy: string };
}

/** The invited_licences table: one row per invitation, looked up by the invited address. */
export class InvitedLicenceRepository {
  readonly #rows: ModelStatic<Model<InvitedLicenceRow>>;

  constructor(sequelize: Sequelize) {
    const s = (n: number) => ({ type: DataTypes.STRING(n), allowNull: false });
    this.#rows = sequelize.define<Model<InvitedLicenceRow>>(
      'InvitedLicence',
      {
        invitation_id: { type: DataTypes.STRING(36), primaryKey: true },
        email: s(320),
        licence_type: s(80),
        licence_number: s(80),
        licence_jurisdiction: s(120),
        licence_expires_on: s(10),
        verified_by: s(36),
        verified_at: { type: DataTypes.DATE, allowNull: false },
        verification_method: s(200),
      },
      { tableName: 'invited_licences' },
    );
  }

  /** Records it; an earlier invitation's licence for the same address is replaced. */
  async put(invited: InvitedLicence): Promise<void> {
    const { licence } = invited;
    await this.#rows.destroy({ where: { email: invited.email } });
    await this.#rows.create({
      invitation_id: invited.invitationId,
      email: invited.email,
      licence_type: licence.type ?? '',
      licence_number: licence.number ?? '',
      licence_jurisdiction: licence.jurisdiction ?? '',
      licence_expires_on: licence.expiresOn ?? '',
      verified_by: licence.verifiedBy,
      verified_at: licence.verifiedAt,
      verification_method: licence.verificationMethod ?? '',
    });
  }

  async forEmail(email: string): Promise<InvitedLicence | null> {
    const row = await this.#rows.findOne({ where: { email: email.toLowerCase() } });
    if (!row) return null;
    const r = row.get({ plain: true });
    return {
      invitationId: r.invitation_id,
      email: r.email,
      licence: {
        type: r.licence_type,
        number: r.licence_number,
        jurisdiction: r.licence_jurisdiction,
        expiresOn: r.licence_expires_on,
        verifiedAt: new Date(r.verified_at),
        verifiedBy: r.verified_by,
        verificationMethod: r.verification_method,
      },
    };
  }

  async remove(invitationId: string): Promise<void> {
    await this.#rows.destroy({ where: { invitation_id: invitationId } });
  }
}
