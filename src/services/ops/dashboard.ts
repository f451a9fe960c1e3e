// Dashboard figures: counts, revenue by month and sign-ups by day, aggregated in JS (FerretDB has no $group by date).
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";

export interface SeriesPoint {
  label: string;
  value: number;
}

const monthKey = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
const dayKey = (d: Date) => d.toISOString().slice(0, 10);

export async function dashboardStats(deps: Pick<Deps, "models" | "clock" | "config">, opts: { months?: number; days?: number } = {}) {
  const now = deps.clock.now();
  const months = opts.months ?? 12;
  const days = opts.days ?? 30;
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1));
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  const [activeSubscribers, pendingPayments, confirmedPayments, approved, signups, totalUsers] = await Promise.all([
    deps.models.User.countDocuments({ "subscription.status": "active", "subscription.currentPeriodEnd": op({ $gt: now }) }),
    deps.models.Payment.countDocuments({ status: "pending" }),
    deps.models.Payment.countDocuments({ status: "confirmed" }),
    deps.models.Payment.find({ status: "approved", decidedAt: op({ $gte: monthStart }) }, { amount: 1, decidedAt: 1 }).lean(),
    deps.models.User.find({ createdAt: op({ $gte: dayStart }) }, { createdAt: 1 }).lean(),
    deps.models.User.countDocuments({ status: op({ $ne: "deleted" }) }),
  ]);
  const revenue = new Map<string, number>();
  for (let i = 0; i < months; i++) revenue.set(monthKey(new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + i, 1))), 0);
  for (const p of approved) {
    const k = monthKey(p.decidedAt!);
    if (revenue.has(k)) revenue.set(k, revenue.get(k)! + p.amount);
  }
  const byDay = new Map<string, number>();
  for (let i = 0; i < days; i++) byDay.set(dayKey(new Date(dayStart.getTime() + i * 86_400_000)), 0);
  for (const u of signups) {
    const k = dayKey(u.createdAt);
    if (byDay.has(k)) byDay.set(k, byDay.get(k)! + 1);
  }
  return {
    activeSubscribers,
    pendingPayments,
    confirmedPayments,
    totalUsers,
    currency: deps.config.currency,
    revenueByMonth: [...revenue].map(([label, value]) => ({ label, value })),
    signupsByDay: [...byDay].map(([label, value]) => ({ label, value })),
  };
}

export interface BarChart {
  width: number;
  height: number;
  plotRight: number;
  bars: { x: number; y: number; w: number; h: number; label: string; value: number; showLabel: boolean }[];
  gridlines: { y: number; value: number }[];
  max: number;
}

/** Bar geometry for a server-rendered SVG chart; labels thin out so they never overlap. */
export function barChart(points: SeriesPoint[], opts: { width?: number; height?: number; maxLabels?: number } = {}): BarChart {
  // A small viewBox with large type: the SVG scales down on phones and the labels stay readable.
  const width = opts.width ?? 480;
  const height = opts.height ?? 210;
  const top = 12;
  const bottom = 30;
  const left = 52;
  const right = 24;
  const plotH = height - top - bottom;
  const rawMax = Math.max(1, ...points.map((p) => p.value));
  const magnitude = 10 ** Math.floor(Math.log10(rawMax));
  // At least 2, so the half-way gridline is a whole number when there is little or no data.
  const max = Math.max(2, Math.ceil(rawMax / magnitude) * magnitude);
  const slot = (width - left - right) / Math.max(1, points.length);
  const every = Math.max(1, Math.ceil(points.length / (opts.maxLabels ?? 12)));
  const bars = points.map((p, i) => {
    const h = Math.round((p.value / max) * plotH);
    return {
      x: Math.round(left + i * slot + slot * 0.15),
      y: top + plotH - h,
      w: Math.max(1, Math.round(slot * 0.7)),
      h,
      label: p.label,
      value: p.value,
      showLabel: (points.length - 1 - i) % every === 0,
    };
  });
  const steps = max % 2 === 0 ? [0, 0.5, 1] : [0, 1];
  const gridlines = steps.map((f) => ({ y: Math.round(top + plotH - f * plotH), value: max * f }));
  return { width, height, plotRight: width - right, bars, gridlines, max };
}
