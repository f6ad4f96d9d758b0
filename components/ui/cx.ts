/** Joins class names, skipping falsy ones (a two-line stand-in for clsx, which the project does not depend on). */
export function cx(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(" ");
}
