import { listInputShape, listOutputSchema, READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import { installationRepositoriesSchema, repositoryListSchema, type WireRepository } from "../github-api.js";
import { type GithubResponse, githubRequest } from "../github-client.js";
import { isGithubRequestError } from "../github-error.js";
import { repositoryOutput, toRepository } from "../github-output.js";
import { listByLinkHeader } from "../github-pagination.js";
import { defineGithubTool } from "../github-tool.js";
import { ownerName } from "../github-validation.js";

/** Org, user and installation lists differ in shape: installations wrap theirs in an object. */
const repositoriesPageSchema = z.union([repositoryListSchema, installationRepositoriesSchema]);
type RepositoriesPage = z.output<typeof repositoriesPageSchema>;

export const githubListRepositories = defineGithubTool({
  name: "github_list_repositories",
  title: "List repositories",
  description:
    "List an organisation's or user's repositories, or without owner those the credential can access; only those in the connector's allowlist.",
  input: z.object({
    owner: ownerName.optional().describe("Organisation or user."),
    sort: z.enum(["created", "updated", "pushed", "full_name"]).default("full_name"),
    direction: z.enum(["asc", "desc"]).optional(),
    ...listInputShape(100),
  }),
  output: listOutputSchema(repositoryOutput),
  annotations: READ_ANNOTATIONS,
  async execute(input, ctx) {
    const { allowlist } = ctx.client;
    const owner = input.owner;
    if (owner) allowlist.assertOwner(owner);
    const sorting = { sort: input.sort, direction: input.direction };

    const first = async (pageSize: number): Promise<GithubResponse<RepositoriesPage>> => {
      if (!owner) {
        // An installation token has no user behind it; its repositories are the installation's.
        return ctx.client.isInstallation
          ? githubRequest(
              ctx,
              "GET /installation/repositories",
              { per_page: pageSize },
              repositoriesPageSchema,
            )
          : githubRequest(ctx, "GET /user/repos", { ...sorting, per_page: pageSize }, repositoriesPageSchema);
      }
      try {
        // The org endpoint includes private repositories; user accounts 404 there.
        return await githubRequest(
          ctx,
          "GET /orgs/{org}/repos",
          { org: owner, ...sorting, per_page: pageSize },
          repositoriesPageSchema,
        );
      } catch (error) {
        if (!isGithubRequestError(error) || error.status !== 404) throw error;
        return githubRequest(
          ctx,
          "GET /users/{username}/repos",
          { username: owner, ...sorting, per_page: pageSize },
          repositoriesPageSchema,
        );
      }
    };

    return listByLinkHeader(ctx, {
      limit: input.limit,
      cursor: input.cursor,
      schema: repositoriesPageSchema,
      first,
      items: (data) => {
        const repositories: WireRepository[] = Array.isArray(data) ? data : data.repositories;
        return repositories
          .filter((repository) => allowlist.allowsRepo(repository.owner.login, repository.name))
          .map(toRepository);
      },
    });
  },
});
