/*
 * The alert vocabulary, in a module of constants only: API schemas import it, and those schemas
 * reach the browser bundle through the forms, where policy.ts's logger (pino) cannot go.
 */
export const ALERT_EVENTS = ["promo_campaign_auto_paused", "payments_reconciliation_diff_detected", "payments_recovery_review_required"] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

export const ALERT_CHANNELS = ["generic", "slack", "pagerduty"] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

export const ALERT_SEVERITIES = ["info", "warning", "error", "critical"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
