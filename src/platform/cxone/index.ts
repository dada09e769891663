export { createProductionPort } from "./adapter.ts";
export { ProductionApi } from "./api.ts";
export { accessKeyGrant, claimsOf, ProductionSession, passwordGrant, type TokenClaims } from "./auth.ts";
