/**
 * Every react-query key of the app, in one place: a query and the mutations that must invalidate it
 * name the same key here, so "what does creating a book refresh?" has one answer. Keys are arrays
 * from the general to the specific, so invalidating `queryKeys.books.all` also refreshes every list
 * and every single book under it.
 */
export const queryKeys = {
  books: {
    all: ["books"] as const,
    list: (filters: { status?: string; q?: string; limit?: number; offset?: number } = {}) => ["books", "list", filters] as const,
    detail: (bookId: string) => ["books", "detail", bookId] as const,
    codes: (bookId: string, page: { limit?: number; offset?: number } = {}) => ["books", "detail", bookId, "codes", page] as const,
  },
  generationRuns: {
    detail: (runId: string) => ["generation-runs", runId] as const,
  },
  apiKeys: {
    all: ["api-keys"] as const,
  },
  ops: {
    /** The ops dashboard of one window, of all sellers or one (GET /api/internal/promo/dashboard). */
    dashboard: (query: { window: string; businessId?: string }) => ["ops", "dashboard", query] as const,
  },
} as const;
