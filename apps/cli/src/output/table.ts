export interface TableColumn {
  header: string;
  /** Numbers read best right-aligned. */
  align?: "left" | "right";
  /** Longer cells are cut with an ellipsis. */
  maxWidth?: number;
}

/** Aligned columns, two spaces apart, no trailing spaces: readable and still easy to `awk`. */
export function formatTable(
  columns: TableColumn[],
  rows: ReadonlyArray<ReadonlyArray<string>>,
): string {
  const cells = [columns.map((column) => column.header), ...rows].map((row) =>
    columns.map((column, index) => truncate(row[index] ?? "", column.maxWidth)),
  );
  const widths = columns.map((_, index) =>
    Math.max(...cells.map((row) => [...(row[index] ?? "")].length)),
  );
  return cells
    .map((row) =>
      row
        .map((cell, index) => {
          const pad = " ".repeat((widths[index] ?? 0) - [...cell].length);
          return columns[index]?.align === "right" ? pad + cell : cell + pad;
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function truncate(text: string, maxWidth: number | undefined): string {
  const oneLine = text.replace(/\s*\n\s*/g, " ");
  if (maxWidth === undefined || [...oneLine].length <= maxWidth) return oneLine;
  return `${[...oneLine].slice(0, Math.max(0, maxWidth - 1)).join("")}…`;
}

/** `2026-12-03T17:20:06.123Z` → `2026-12-03 17:20:06Z`: seconds are precise enough for a listing. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return "";
  return iso.replace("T", " ").replace(/\.\d+Z$/, "Z");
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
