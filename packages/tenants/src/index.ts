export { type Principal, roleAllows } from './principal.js';
export {
  formatToken,
  hashPassword,
  hashSecret,
  newId,
  newPassword,
  newSecret,
  type ParsedToken,
  parseToken,
  type TokenKind,
  verifyPassword,
} from './secrets.js';
export { type EnrollTokenOptions, type IssuedCredential, TenantService } from './tenant-service.js';
