export { createProductionPort } from "./adapter.ts";
export { ProductionApi } from "./api.ts";
export { claimsOf, ProductionSession, passwordGrant, type TokenClaims } from "./auth.ts";
