import { READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import { repositorySchema } from "../github-api.js";
import { githubRequest } from "../github-client.js";
import { repositoryOutput, toRepository } from "../github-output.js";
import { defineGithubTool } from "../github-tool.js";
import { repoShape } from "../github-validation.js";

export const githubGetRepository = defineGithubTool({
  name: "github_get_repository",
  title: "Get a repository",
  description: "Get a repository's description, default branch, visibility, language, topics and counts.",
  input: z.object(repoShape),
  output: repositoryOutput,
  annotations: READ_ANNOTATIONS,
  async execute(input, ctx) {
    ctx.client.allowlist.assertRepo(input.owner, input.repo);
    const response = await githubRequest(ctx, "GET /repos/{owner}/{repo}", input, repositorySchema);
    return toRepository(response.data);
  },
});
