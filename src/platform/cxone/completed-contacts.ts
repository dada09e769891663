/** CXone's completed contacts (`GET /contacts/completed`): what its window and incremental listings share. */
export const ENDPOINT = "GET /contacts/completed";
/** The array of records in an answer. */
export const ARRAY_KEY = "completedContacts";
/** `mediaTypeId` of a phone call. */
export const PHONE_CALL = 4;
/** TAP: the platform answers at most about 10,000 records per response. */
export const MAX_RECORDS_PER_RESPONSE = 10_000;
