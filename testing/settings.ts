import type { SettingKey } from "@/lib/env";

/** A value per setting; undefined unsets it (the setting's default applies). */
export type SettingOverrides = Partial<Record<SettingKey, string | undefined>>;

const undo: (() => void)[] = [];

function put(key: string, value: string | undefined) {
  if (value === undefined) Reflect.deleteProperty(process.env, key);
  else process.env[key] = value;
}

/**
 * The one way tests change settings: lib/env.ts's `settings()` sees the new values on its next call
 * (it re-validates whenever a named variable changed), and so does a child process that inherits
 * process.env. Returns the function that puts the previous values back (undoing any override made
 * after this one first); `restoreSettings()` undoes every override still in place, newest first
 * (register it with `afterEach`).
 */
export function overrideSettings(values: SettingOverrides): () => void {
  const previous = Object.keys(values).map((key) => [key, process.env[key]] as const);
  for (const [key, value] of Object.entries(values)) put(key, value);
  const undoThis = () => {
    for (const [key, value] of previous) put(key, value);
  };
  undo.push(undoThis);
  // Overrides nest: putting this one back first undoes the ones made after it, or their saved values would outlive it.
  return () => {
    const at = undo.indexOf(undoThis);
    if (at === -1) return;
    for (const later of undo.splice(at).reverse()) later();
  };
}

/** Undoes every override still in place, newest first. */
export function restoreSettings() {
  for (const later of undo.splice(0).reverse()) later();
}

/** Runs `fn` with the settings overridden, and puts them back whatever happens. */
export async function withSettings<T>(values: SettingOverrides, fn: () => T | Promise<T>): Promise<T> {
  const restore = overrideSettings(values);
  try {
    return await fn();
  } finally {
    restore();
  }
}
