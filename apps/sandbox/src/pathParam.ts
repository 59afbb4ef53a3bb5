import type { Request } from "express";

/** A named route parameter as one string ("" when absent; wildcard segments are joined). */
export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  if (value === undefined) return "";
  return Array.isArray(value) ? value.join("/") : value;
}
