// The billing domain's public entry.
export * from "./admin-payments.js";
export * from "./approval.js";
export * from "./customer.js";
export * from "./payments.js";
export * from "./payments-export.js";
export * from "./plans.js";
export * from "./subscriptions.js";
export { PAYMENT_STATUSES, type PaymentStatus } from "../../models/payment.js";
export * from "./webhook-notices.js";
