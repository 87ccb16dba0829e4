import type { AuditRecord, AuditSink } from "./audit-record.js";

export interface AuditTrailOptions {
  readonly sink: AuditSink;
  /** Records written per batch. Default 200. */
  readonly batchSize?: number;
  /** How often buffered records are flushed. Default 250 ms. */
  readonly flushIntervalMs?: number;
  /**
   * Records held while the sink is down. Default 100,000 (tens of MB). Past it the oldest records are dropped
   * and counted in `stats().dropped`, because an unbounded buffer would take the process down instead.
   */
  readonly maxBuffered?: number;
  /** Told about sink failures and recoveries (once per outage, not per retry). */
  readonly onSinkStatus?: (status: {
    readonly healthy: boolean;
    readonly error?: string;
    readonly buffered: number;
  }) => void;
}

export interface AuditTrailStats {
  readonly buffered: number;
  readonly written: number;
  readonly dropped: number;
  readonly healthy: boolean;
  readonly lastError?: string | undefined;
}

/**
 * Writing an audit record never blocks or fails the call it describes: `record` only appends to a buffer, and
 * a background loop writes batches to the sink. When the sink fails the records stay buffered and the loop
 * retries with backoff until it recovers; the outage is reported once through `onSinkStatus`.
 */
export class AuditTrail {
  private readonly buffer: AuditRecord[] = [];
  private written = 0;
  private dropped = 0;
  private healthy = true;
  private lastError: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failures = 0;
  private closed = false;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly maxBuffered: number;

  constructor(private readonly options: AuditTrailOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.intervalMs = options.flushIntervalMs ?? 250;
    this.maxBuffered = options.maxBuffered ?? 100_000;
  }

  record(record: AuditRecord): void {
    if (this.closed) return;
    this.buffer.push(record);
    if (this.buffer.length > this.maxBuffered) {
      this.buffer.splice(0, this.buffer.length - this.maxBuffered);
      this.dropped += 1;
    }
    this.schedule(this.healthy ? this.intervalMs : this.backoffMs());
  }

  stats(): AuditTrailStats {
    return {
      buffered: this.buffer.length,
      written: this.written,
      dropped: this.dropped,
      healthy: this.healthy,
      lastError: this.lastError,
    };
  }

  /** Writes everything buffered now; resolves when done or when the sink fails (records stay buffered). */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.writeBatches().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Flushes (bounded by `timeoutMs`) and closes the sink; what could not be written is in `stats()`. */
  async close(timeoutMs = 5000): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.buffer.length > 0)
        await new Promise((resolve) => setTimeout(resolve, Math.min(200, this.backoffMs())));
    }
    await this.options.sink.close?.();
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().then(() => {
        if (this.buffer.length > 0) this.schedule(this.healthy ? 0 : this.backoffMs());
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private backoffMs(): number {
    return Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7));
  }

  private async writeBatches(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, this.batchSize);
      try {
        await this.options.sink.write(batch);
      } catch (error) {
        this.failures += 1;
        this.lastError = error instanceof Error ? error.message : String(error);
        if (this.healthy) {
          this.healthy = false;
          this.options.onSinkStatus?.({
            healthy: false,
            error: this.lastError,
            buffered: this.buffer.length,
          });
        }
        return;
      }
      // Only now are the records safe: remove exactly what was written.
      this.buffer.splice(0, batch.length);
      this.written += batch.length;
      if (!this.healthy) {
        this.healthy = true;
        this.failures = 0;
        this.options.onSinkStatus?.({ healthy: true, buffered: this.buffer.length });
      }
    }
  }
}
