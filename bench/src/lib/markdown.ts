/** A markdown table; cells are escaped for pipes. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const escapeCell = (cell: string) => cell.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** How a target shows in a table: `met` or `MISSED` (the word the docs and the smoke test look for). */
export function verdict(met: boolean): string {
  return met ? "met" : "MISSED";
}

/** One part of a benchmark's output: a heading, a table and notes under it. */
export interface Section {
  readonly heading: string;
  readonly table?: string;
  readonly notes?: readonly string[];
}

export interface BenchReport {
  readonly name: string;
  readonly title: string;
  readonly sections: readonly Section[];
}

export function renderReport(report: BenchReport): string {
  const parts = [`## ${report.title}`];
  for (const section of report.sections) {
    parts.push(`### ${section.heading}`);
    if (section.table) parts.push(section.table);
    if (section.notes && section.notes.length > 0)
      parts.push(section.notes.map((note) => `- ${note}`).join("\n"));
  }
  return `${parts.join("\n\n")}\n`;
}
