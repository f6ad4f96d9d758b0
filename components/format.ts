/** A timestamp as the consoles print it: minutes, in UTC, so every viewer reads the same time. */
export const utcMinute = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
