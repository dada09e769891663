import { z } from "zod";

/**
 * A number in a JSON answer, as `JSON.stringify` writes it: any number the server holds,
 * including NaN and ±Infinity (written as `null`, as they always were). zod's `z.number()`
 * refuses those, and a refusal by a response schema is a 500 for the whole answer: one figure
 * divided by zero would blank the board. Imports zod only (the console's type-check reads it).
 */
export const jsonNumber = () => z.custom<number>((value) => typeof value === "number", "a number");
