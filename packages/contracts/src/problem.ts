import { z } from "zod";

/**
 * RFC 9457 problem details as the API answers them (application/problem+json), shaped like
 * Ampersand's ApiProblem and InputValidationProblem (specs/ampersand/problem_problem.yaml).
 */

export const problemSchema = z
  .object({
    type: z.string().describe("A URI naming the kind of problem, e.g. urn:writ:problem:not-found"),
    title: z.string().describe("A short summary of the problem type"),
    status: z.int().min(400).max(599).describe("The HTTP status code of this answer"),
    detail: z.string().describe("What went wrong this time, for a person to read"),
    instance: z.string().describe("The request path the problem occurred on"),
    subsystem: z.string().describe("The part of Writ that answered"),
    time: z.iso.datetime({ offset: true }).describe("When the problem occurred (RFC 3339)"),
    requestId: z.string().describe("The request's X-Request-Id; quote it when asking for help"),
    retryable: z.boolean().optional().describe("Whether repeating the same request may succeed"),
    context: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Facts about the problem, e.g. the operationId an Idempotency-Key belongs to"),
  })
  .meta({ id: "ApiProblem", description: "An RFC 9457 problem" });

export const inputValidationIssueSchema = z
  .object({
    in: z.enum(["body", "header", "path", "query"]).describe("Where the invalid input is"),
    name: z
      .string()
      .describe("Which input, e.g. batch[3].record.id, or sourceYaml:12:5 for a manifest line"),
    detail: z.string().describe("What is wrong with it"),
    value: z.unknown().optional().describe("The value that was refused"),
    line: z.int().min(1).optional().describe("For YAML sources: 1-based line of the problem"),
    column: z.int().min(1).optional().describe("For YAML sources: 1-based column of the problem"),
    severity: z.enum(["error", "warning"]).optional(),
  })
  .meta({ id: "InputValidationIssue" });

export const inputValidationProblemSchema = problemSchema
  .extend({
    issues: z
      .array(inputValidationIssueSchema)
      .optional()
      .describe("Every problem found in the request, each with where it is"),
  })
  .meta({
    id: "InputValidationProblem",
    description: "An RFC 9457 problem listing every invalid input",
  });

export type Problem = z.infer<typeof problemSchema>;
export type InputValidationIssue = z.infer<typeof inputValidationIssueSchema>;
export type InputValidationProblem = z.infer<typeof inputValidationProblemSchema>;
