import * as z from 'zod';
import { COMPANY_ROLES, ROLES } from './role';
import { INVITATION_STATUSES } from './invitation';

// Documented with `.register(z.globalRegistry, …)`, not `.meta(…)`: it annotates a schema without cloning
// it, which halves what these schemas add to cold start. Register only schemas used once: metadata is per instance.

const utcInstant = z.iso.datetime();

/** The `user` object of the HTTP contract; `UserResponse` is derived from it. */
export const userSchema = z
  .strictObject({
    id: z.string().register(z.globalRegistry, { description: 'The Firebase Auth uid.' }),
    name: z.string(),
    username: z.string(),
    email: z
      .string()
      .nullable()
      .register(z.globalRegistry, { description: 'From the ID token; null for accounts without one.' }),
    countryCode: z.string(),
    phoneNumber: z.string(),
    role: z.enum(ROLES),
    companyId: z
      .string()
      .optional()
      .register(z.globalRegistry, { description: 'Admins and staff only: their company.' }),
    createdAt: utcInstant,
  })
  .register(z.globalRegistry, { id: 'User' });

/** The `company` object of the HTTP contract; `CompanyResponse` is derived from it. */
export const companySchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    address: z.string(),
    email: z.string(),
    countryCode: z.string(),
    phoneNumber: z.string(),
    registrationNumber: z.string(),
    createdAt: utcInstant,
  })
  .register(z.globalRegistry, { id: 'Company' });

/** Answer of `register` and `me`: the user and, for admins, their company. */
export const profileSchema = z
  .strictObject({ user: userSchema, company: companySchema.optional() })
  .register(z.globalRegistry, { id: 'Profile' });

/** The `invitation` object of the HTTP contract. */
export const invitationSchema = z
  .strictObject({
    id: z.string(),
    companyId: z.string(),
    email: z
      .string()
      .register(z.globalRegistry, { description: 'In lower case; matched case-insensitively.' }),
    role: z.enum(COMPANY_ROLES),
    status: z.enum(INVITATION_STATUSES).register(z.globalRegistry, {
      description: '`pending` → `accepted` | `revoked` | `expired` (seven days after `createdAt`).',
    }),
    expiresAt: utcInstant,
    createdAt: utcInstant,
  })
  .register(z.globalRegistry, { id: 'Invitation' });

/** Answer of `inviteMember` and `revokeInvitation`. */
export const invitationEnvelopeSchema = z.strictObject({ invitation: invitationSchema });

/** Answer of `myInvitations`. */
export const invitationListSchema = z.strictObject({
  invitations: z
    .array(invitationSchema)
    .register(z.globalRegistry, { description: "Pending invitations addressed to the token's email." }),
});

/** Answer of `companyMembers`. */
export const companyMembersSchema = z.strictObject({
  members: z.array(userSchema).register(z.globalRegistry, { description: "The company's admins and staff." }),
  invitations: z
    .array(invitationSchema)
    .register(z.globalRegistry, { description: "The company's pending invitations." }),
});

/** Answer of `removeMember`: the member as they were. */
export const userEnvelopeSchema = z.strictObject({ user: userSchema });
