import { z } from "zod";

/**
 * One record of the list a plan is made for (`--list FILE`): CSV with a header row, or NDJSON.
 * `recordId` and `phone` (E.164, +1 and ten digits) are required; `state` (two-letter USPS
 * code, for numbers whose area code says little), `zip`, `accountId` (the debt, for Reg F:
 * required for kind `collections`) and `consent` (true/false, yes/no, 1/0; absent = unknown) are
 * optional. Other columns are ignored.
 */
export const E164_NANP = /^\+1[2-9]\d{2}[2-9]\d{6}$/;

const consentSchema = z.preprocess((value) => {
  if (typeof value === "boolean" || value === undefined || value === null) return value ?? undefined;
  const text = String(value).trim().toLowerCase();
  if (text === "") return undefined;
  if (["true", "yes", "y", "1"].includes(text)) return true;
  if (["false", "no", "n", "0"].includes(text)) return false;
  return value;
}, z.boolean({ message: "must be true or false (yes/no, 1/0)" }).optional());

const optionalText = z.preprocess(
  (value) => (value === null || value === undefined || value === "" ? undefined : String(value)),
  z.string().optional(),
);

export const listRowSchema = z.object({
  recordId: z.preprocess((value) => (typeof value === "number" ? String(value) : value), z.string().min(1)),
  phone: z.string().regex(E164_NANP, "must be an E.164 North American number such as +13125550123"),
  state: z.preprocess(
    (value) =>
      value === null || value === undefined || value === "" ? undefined : String(value).toUpperCase(),
    z
      .string()
      .regex(/^[A-Z]{2}$/, "must be a two-letter state code")
      .optional(),
  ),
  zip: optionalText,
  accountId: optionalText,
  consent: consentSchema,
});
export type ListRow = z.infer<typeof listRowSchema>;
