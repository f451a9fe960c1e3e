// jobruns: one row per job fire; the unique (job, fireTime) pair makes a fire run once across workers.
import { Schema, type Connection, type InferSchemaType } from "mongoose";

// abandoned: the worker stopped renewing the run's lease (it died) before the run finished.
export const JOB_RUN_STATUSES = ["running", "succeeded", "failed", "abandoned"] as const;

export const jobRunSchema = new Schema(
  {
    job: { type: String, required: true },
    fireTime: { type: Date, required: true },
    trigger: { type: String, enum: ["schedule", "manual"], default: "schedule" },
    triggeredBy: { type: String, default: null },
    worker: { type: String, default: null },
    status: { type: String, enum: JOB_RUN_STATUSES, default: "running" },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    // Renewed while the run is alive; a `running` row past it belongs to a dead worker.
    leaseUntil: { type: Date, default: null },
    counts: { type: Schema.Types.Mixed, default: {} },
    error: { type: String, default: null },
  },
  { versionKey: false },
);
jobRunSchema.index({ job: 1, fireTime: 1 }, { unique: true });
jobRunSchema.index({ startedAt: -1 });

export type JobRun = InferSchemaType<typeof jobRunSchema>;

export function registerJobRunModel(conn: Connection) {
  return conn.model("JobRun", jobRunSchema, "jobruns");
}
