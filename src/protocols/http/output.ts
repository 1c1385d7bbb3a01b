/**
 * Output shaping shared by the API modules where SFTPGo's JSON differs from our records: Go's
 * `omitempty` drops an empty admin email, and "" would break the spec's `format: email`.
 */
import type { Admin } from '../../dataprovider/models.js';

/** The admin as SFTPGo serializes it: no `email` key when there is none. */
export function omitEmptyEmail(admin: Admin): Admin {
  if (admin.email) return admin;
  const { email: _email, ...rest } = admin;
  return rest;
}
