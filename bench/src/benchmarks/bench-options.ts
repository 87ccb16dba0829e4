/** Options every benchmark takes. `quick` shrinks every count so a smoke test can run the lot in seconds. */
export interface BenchOptions {
  readonly quick: boolean;
  /** Progress lines (stderr); the markdown goes to stdout. */
  readonly log: (line: string) => void;
}

/** Picks the full or the quick value. */
export function size(options: BenchOptions, full: number, quick: number): number {
  return options.quick ? quick : full;
}
