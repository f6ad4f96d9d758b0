import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { getBookOrThrow } from "./access";
import { toBookDto } from "./book-dto";
import { genericCodesOf } from "./generic-codes";

export async function getBook(db: DbOrTx, actor: Actor, bookId: string) {
  const book = await getBookOrThrow(db, actor, bookId);
  const codes = await genericCodesOf(db, [book]);
  return toBookDto(book, codes.get(book.id) ?? null);
}
