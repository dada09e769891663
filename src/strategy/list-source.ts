import { InputError } from "../core/input-error.ts";
import { zodProblems } from "../core/input-file.ts";
import { type ListRow, listRowSchema } from "./list-format.ts";

/** What a contact of a platform's list gives the plan (the SDK's `campaigns.contacts` items). */
export interface ListContact {
  id: string;
  phone: string;
  state: string | null;
  consentCall: boolean | null;
}

/**
 * A platform's contact list as the plan's list rows (`cxo strategy plan --list LIST_ID`): the
 * contact's id is the recordId; phone, state and call consent as the list holds them (no
 * accountId: a collections plan needs a list file). A contact whose phone is not an E.164 North
 * American number is bad input naming the list and the row, as in a list file.
 */
export async function* listRowsFromContacts(
  contacts: AsyncIterable<ListContact>,
  field = "list",
): AsyncIterable<ListRow> {
  let row = 0;
  for await (const contact of contacts) {
    row++;
    const parsed = listRowSchema.safeParse({
      recordId: contact.id,
      phone: contact.phone,
      state: contact.state ?? undefined,
      consent: contact.consentCall ?? undefined,
    });
    if (!parsed.success)
      throw new InputError(
        zodProblems(parsed.error).map((p) => ({ ...p, field: `${field} ${p.field}`, row })),
      );
    yield parsed.data;
  }
}
