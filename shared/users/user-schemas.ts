import * as z from 'zod';
import { ROLES } from './role';

const trimmed = (max: number) => z.string().trim().min(1).max(max);

/** ISO 3166-1 alpha-2 country (`DE`) or an international calling code (`+49`); both occur in the wild. */
const countryCode = z
  .string()
  .regex(
    /^(?:[A-Z]{2}|\+[1-9]\d{0,3})$/,
    'Use an ISO 3166-1 alpha-2 code such as "DE" or a calling code such as "+49".',
  );

/** Digits with optional separators and a leading `+`; 4 to 15 digits as E.164 allows. */
const phoneNumber = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]+$/, 'Use digits, spaces, parentheses, dashes and an optional leading "+".')
  .refine((value) => {
    const digits = value.replace(/\D/g, '').length;
    return digits >= 4 && digits <= 15;
  }, 'A phone number has 4 to 15 digits.');

/** Usernames are unique case-insensitively; letters, digits, `_` and `.` keep them URL- and mention-safe. */
const username = z.string().regex(/^[A-Za-z0-9_.]{3,30}$/, 'Use 3 to 30 letters, digits, "_" or ".".');

/** The company an admin registers with. */
export const companyInputSchema = z.strictObject({
  name: trimmed(200),
  address: trimmed(500),
  email: z.email().max(254),
  countryCode,
  phoneNumber,
  registrationNumber: trimmed(64),
});

/**
 * Body of `POST /register`. An admin either registers a new `company` or joins one with an `invitationId`;
 * staff join only by invitation; users do neither.
 */
export const registerBodySchema = z
  .strictObject({
    name: trimmed(200),
    username,
    countryCode,
    phoneNumber,
    role: z.enum(ROLES),
    company: companyInputSchema.optional(),
    invitationId: z
      .string()
      .regex(/^[A-Za-z0-9]{1,64}$/, 'Not an invitation id.')
      .optional()
      .register(z.globalRegistry, {
        description: 'Join the inviting company with the invited role instead of registering a company.',
      }),
  })
  .superRefine((body, context) => {
    const invited = body.invitationId !== undefined;
    if (body.role === 'admin' && body.company === undefined && !invited) {
      context.addIssue({
        code: 'custom',
        path: ['company'],
        message: 'Required when role is "admin", unless joining with an invitationId.',
      });
    }
    if (body.company !== undefined && (body.role !== 'admin' || invited)) {
      context.addIssue({
        code: 'custom',
        path: ['company'],
        message: 'Only admins without an invitation register a company.',
      });
    }
    if (body.role === 'staff' && !invited) {
      context.addIssue({ code: 'custom', path: ['invitationId'], message: 'Staff join by invitation only.' });
    }
    if (body.role === 'user' && invited) {
      context.addIssue({
        code: 'custom',
        path: ['invitationId'],
        message: 'Invitations are for admins and staff.',
      });
    }
  });

export type CompanyInput = z.infer<typeof companyInputSchema>;
export type RegisterBody = z.infer<typeof registerBodySchema>;

/** Body of `POST /inviteMember`. */
export const inviteMemberBodySchema = z.strictObject({
  email: z.email().max(254),
  role: z.enum(['admin', 'staff']),
});

/** Body of `POST /revokeInvitation`. */
export const revokeInvitationBodySchema = z.strictObject({
  invitationId: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'Not an invitation id.'),
});

/** Body of `POST /removeMember`. */
export const removeMemberBodySchema = z.strictObject({
  userId: z.string().min(1).max(128),
});
