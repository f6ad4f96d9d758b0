import { z } from "zod";

export const NUL_MESSAGE = "must not contain NUL characters";

/** True when a string carries U+0000 anywhere. */
export const hasNul = (value: string) => value.includes("\u0000");

/**
 * The string building block of every input schema: PostgreSQL refuses U+0000 in text (22021) and in
 * jsonb (22P05), so a NUL that got past validation would surface as a 500 from deep inside a query.
 * Use it instead of `z.string()` (ESLint enforces this in schema files).
 */
export const text = () => z.string().refine((value) => !hasNul(value), { message: NUL_MESSAGE, abort: true });

/**
 * Where in a parsed JSON value a NUL sits (`["items", 0, "sku"]`), in a key or a string; undefined
 * when there is none. Iterative, and each node keeps only a link to its parent: a body nested a
 * million levels deep that JSON.parse accepted must neither overflow the stack nor copy paths.
 */
export function findNul(value: unknown): (string | number)[] | undefined {
  type Node = { value: unknown; key?: string | number; parent?: Node };
  const pathOf = (node: Node | undefined, last?: string) => {
    const path: (string | number)[] = last === undefined ? [] : [last];
    for (let at = node; at && at.key !== undefined; at = at.parent) path.unshift(at.key);
    return path;
  };
  const stack: Node[] = [{ value }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const current = node.value;
    if (typeof current === "string") {
      if (hasNul(current)) return pathOf(node);
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => stack.push({ value: item, key: index, parent: node }));
    } else if (current !== null && typeof current === "object") {
      for (const [key, item] of Object.entries(current)) {
        if (hasNul(key)) return pathOf(node, key);
        stack.push({ value: item, key, parent: node });
      }
    }
  }
  return undefined;
}
