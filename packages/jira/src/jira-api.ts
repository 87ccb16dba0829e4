import { z } from "zod";

/**
 * Wire schemas for the Jira Cloud REST v3 responses the tools read. Only the fields the tools use are
 * declared, and undeclared fields are dropped, never refused, so Jira adding fields never breaks a call; a
 * field changing type does, as `invalid_response`, instead of a silently wrong answer. Field values Jira omits
 * when a field is hidden or not on the screen are optional.
 *
 * Objects strip rather than pass through (`z.object`, not `z.looseObject`): nothing reads an undeclared
 * field, and Jira's objects carry many (`self`, `avatarUrls`, `timeZone`, ...) that zod would otherwise copy
 * one by one through the catch-all. ADF documents are the exception: the converter reads all of them.
 */

/** ADF documents are read defensively by the converter; here only "an object with a type" is required. */
export const adfSchema = z.looseObject({ type: z.string() });

export const userSchema = z.object({
  accountId: z.string(),
  displayName: z.string().optional(),
  active: z.boolean().optional(),
  accountType: z.string().optional(),
  emailAddress: z.string().optional(),
});
export type WireUser = z.infer<typeof userSchema>;

export const statusSchema = z.object({
  id: z.string().optional(),
  name: z.string(),
  description: z.string().optional(),
  statusCategory: z
    .looseObject({ key: z.string(), name: z.string().optional(), colorName: z.string().optional() })
    .optional(),
});
export type WireStatus = z.infer<typeof statusSchema>;

const named = z.object({ id: z.string().optional(), name: z.string() });

export const issueTypeSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  subtask: z.boolean().optional(),
  hierarchyLevel: z.number().int().optional(),
});

const projectRefSchema = z.object({
  id: z.string().optional(),
  key: z.string(),
  name: z.string().optional(),
});

export const issueFieldsSchema = z.object({
  summary: z.string().nullable().optional(),
  status: statusSchema.nullable().optional(),
  issuetype: issueTypeSchema.nullable().optional(),
  priority: named.nullable().optional(),
  assignee: userSchema.nullable().optional(),
  reporter: userSchema.nullable().optional(),
  project: projectRefSchema.nullable().optional(),
  labels: z.array(z.string()).nullable().optional(),
  components: z.array(named).nullable().optional(),
  created: z.string().nullable().optional(),
  updated: z.string().nullable().optional(),
  duedate: z.string().nullable().optional(),
  resolution: named.nullable().optional(),
  parent: z.object({ id: z.string().optional(), key: z.string() }).nullable().optional(),
  /** ADF in API v3; a plain string if a site answers the v2 way. */
  description: z.union([adfSchema, z.string()]).nullable().optional(),
});

export const issueSchema = z.object({
  id: z.string(),
  key: z.string(),
  self: z.string().optional(),
  fields: issueFieldsSchema.optional().default({}),
});
export type WireIssue = z.infer<typeof issueSchema>;

/** `POST /rest/api/3/search/jql`: no `total`; `nextPageToken` is absent on the last page. */
export const searchJqlSchema = z.object({
  issues: z.array(issueSchema),
  nextPageToken: z.string().nullable().optional(),
  isLast: z.boolean().optional(),
});

export const commentSchema = z.object({
  id: z.string(),
  author: userSchema.optional(),
  body: z.union([adfSchema, z.string()]).nullable().optional(),
  created: z.string(),
  updated: z.string().optional(),
  jsdPublic: z.boolean().optional(),
});
export type WireComment = z.infer<typeof commentSchema>;

export const commentPageSchema = z.object({
  startAt: z.number().int(),
  maxResults: z.number().int(),
  total: z.number().int(),
  comments: z.array(commentSchema),
});

export const transitionSchema = z.object({
  id: z.string(),
  name: z.string(),
  to: statusSchema.optional(),
  hasScreen: z.boolean().optional(),
  isAvailable: z.boolean().optional(),
});
export type WireTransition = z.infer<typeof transitionSchema>;
export const transitionsSchema = z.object({ transitions: z.array(transitionSchema) });

export const projectSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string().nullable().optional(),
  projectTypeKey: z.string().optional(),
  simplified: z.boolean().optional(),
  style: z.string().optional(),
  archived: z.boolean().optional(),
  lead: userSchema.nullable().optional(),
  issueTypes: z.array(issueTypeSchema).optional(),
  projectCategory: z.object({ name: z.string() }).nullable().optional(),
});
export type WireProject = z.infer<typeof projectSchema>;

/** `GET /rest/api/3/project/search` ("PageBean"): the server may return fewer than `maxResults`. */
export const projectPageSchema = z.object({
  startAt: z.number().int(),
  maxResults: z.number().int(),
  total: z.number().int().optional(),
  isLast: z.boolean().optional(),
  values: z.array(projectSchema),
});

/** `GET /rest/api/3/project/{key}/statuses`: statuses per issue type. */
export const projectStatusesSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    subtask: z.boolean().optional(),
    statuses: z.array(statusSchema),
  }),
);

export const createdIssueSchema = z.object({
  id: z.string(),
  key: z.string(),
  self: z.string().optional(),
});

export const myselfSchema = userSchema;

/** `GET https://api.atlassian.com/oauth/token/accessible-resources`. */
export const accessibleResourcesSchema = z.array(
  z.object({
    id: z.string(),
    url: z.string(),
    name: z.string().optional(),
    scopes: z.array(z.string()).optional(),
  }),
);

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});

export const oauthErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

/** Jira's ErrorCollection; the gateway answers `{code, message}` instead. */
export const errorCollectionSchema = z.object({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.unknown()).optional(),
  warningMessages: z.array(z.string()).optional(),
  message: z.string().optional(),
  status: z.number().optional(),
});

/** 204 No Content and any body the tool does not read. */
export const noContentSchema = z.unknown();
