/**
 * The props of the book charts: the pieces of the insights DTO the server computed
 * (lib/coupons/book-insights.ts). Components may not import services, so the shapes are spelled
 * here; the page passes the DTO's pieces, and TypeScript checks that they fit.
 */
export type ChartBucket = "hour" | "day";

export type FunnelFigures = { codes: number; assigned: number; locked: number; redeemed: number };

export type SeriesPoint = { start: string; redemptions: number; discount: number; spentToDate: number };

export type BudgetFigures = { cap: number | null; spent: number; reserved: number };

export type RefusalRow = { result: string; reason: string; attempts: number };
