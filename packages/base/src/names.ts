const TENANT_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Checks a tenant name: lower case letters, digits and dashes, starting with a letter, at most 63 characters. */
export function isValidTenantName(name: string): boolean {
  return TENANT_NAME.test(name);
}

const BATCH_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Checks a batch id: 1 to 128 characters of letters, digits, `.`, `_`, `:` or `-`. */
export function isValidBatchId(id: string): boolean {
  return BATCH_ID.test(id);
}
