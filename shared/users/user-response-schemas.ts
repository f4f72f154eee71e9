import * as z from 'zod';
import { ROLES } from '../http/http-types';

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
      .register(z.globalRegistry, { description: 'Admins only: the company they manage.' }),
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
