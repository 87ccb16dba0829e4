import { pick, pickSome, type Random, randomInt, seededRandom } from "../shared/seeded-random.js";
import {
  type AdfDoc,
  type AdfNode,
  bulletList,
  code,
  codeBlock,
  doc,
  em,
  heading,
  inlineCard,
  link,
  mention,
  orderedList,
  panel,
  paragraph,
  rule,
  strong,
  table,
  text,
} from "./jira-adf.js";
import {
  accountIdFor,
  ISSUE_TYPE,
  RESOLUTION,
  SANDBOX_ACCOUNT_ID,
  SECURITY_WORKFLOW,
  SOFTWARE_WORKFLOW,
  STATUS,
  TEAM,
} from "./jira-catalog.js";
import type { CommentRecord, IssueRecord, ProjectRecord, UserRecord, WorkflowRecord } from "./jira-model.js";

/** Deterministic seed data: the same seed and clock day give the same projects, issues, text and comments. */

export const OPS_ISSUE_COUNT = 300;
export const WEB_ISSUE_COUNT = 60;
export const SEC_ISSUE_COUNT = 24;
export const FIRST_ISSUE_ID = 10000;
export const FIRST_COMMENT_ID = 10000;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface ProjectSeed {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly lead: string;
  readonly type?: ProjectRecord["projectTypeKey"];
  readonly style?: ProjectRecord["style"];
  readonly category?: string;
  readonly workflow?: WorkflowRecord;
  readonly issueTypes?: readonly string[];
  readonly restrictedTo?: readonly string[];
  readonly issues: number;
  /** Days the seeded issues are spread over, ending at the seed day. */
  readonly spanDays: number;
}

const ALL_TYPES = [ISSUE_TYPE.epic, ISSUE_TYPE.task, ISSUE_TYPE.bug, ISSUE_TYPE.story];

export const PROJECT_SEEDS: readonly ProjectSeed[] = [
  {
    key: "OPS",
    name: "Operations",
    description: "Run the production platform: incidents, upgrades, certificates, capacity and on-call.",
    lead: "sandbox-user",
    category: "Engineering",
    issues: OPS_ISSUE_COUNT,
    spanDays: 180,
  },
  {
    key: "WEB",
    name: "Web Platform",
    description: "The customer-facing web application and its design system.",
    lead: "bob",
    style: "next-gen",
    category: "Engineering",
    issues: WEB_ISSUE_COUNT,
    spanDays: 120,
  },
  {
    key: "SEC",
    name: "Security",
    description: "Vulnerability reports and security hardening. Restricted to the security team.",
    lead: "farah",
    category: "Engineering",
    workflow: SECURITY_WORKFLOW,
    issueTypes: [ISSUE_TYPE.task, ISSUE_TYPE.bug],
    restrictedTo: ["sandbox-user", "alice", "farah"],
    issues: SEC_ISSUE_COUNT,
    spanDays: 90,
  },
  {
    key: "DATA",
    name: "Data Engineering",
    description: "Pipelines and the warehouse.",
    lead: "dmitri",
    category: "Engineering",
    issues: 5,
    spanDays: 30,
  },
  {
    key: "MOB",
    name: "Mobile Apps",
    description: "iOS and Android apps.",
    lead: "erin",
    style: "next-gen",
    category: "Engineering",
    issues: 3,
    spanDays: 30,
  },
  {
    key: "INFRA",
    name: "Infrastructure",
    description: "Networks and clusters.",
    lead: "gus",
    issues: 0,
    spanDays: 1,
  },
  {
    key: "PLAT",
    name: "Platform Services",
    description: "Shared services.",
    lead: "alice",
    issues: 0,
    spanDays: 1,
  },
  { key: "QA", name: "Quality Assurance", description: "Test plans.", lead: "carol", issues: 0, spanDays: 1 },
  { key: "DOCS", name: "Documentation", description: "Public docs.", lead: "erin", issues: 0, spanDays: 1 },
  { key: "DES", name: "Design System", description: "Components.", lead: "carol", issues: 0, spanDays: 1 },
  {
    key: "HR",
    name: "People Ops",
    description: "Hiring.",
    lead: "gus",
    type: "business",
    issues: 0,
    spanDays: 1,
  },
  {
    key: "FIN",
    name: "Finance",
    description: "Budgets.",
    lead: "dmitri",
    type: "business",
    issues: 0,
    spanDays: 1,
  },
  {
    key: "MKT",
    name: "Marketing",
    description: "Campaigns.",
    lead: "bob",
    type: "business",
    issues: 0,
    spanDays: 1,
  },
  {
    key: "SUP",
    name: "Customer Support",
    description: "Support requests.",
    lead: "alice",
    type: "service_desk",
    issues: 0,
    spanDays: 1,
  },
  {
    key: "LEGAL",
    name: "Legal",
    description: "Contracts.",
    lead: "farah",
    type: "business",
    issues: 0,
    spanDays: 1,
  },
];

const SERVICES = [
  "edge-proxy",
  "billing-api",
  "auth-service",
  "search-indexer",
  "payments-worker",
  "notification-hub",
  "postgres-primary",
  "redis-cache",
  "kafka-cluster",
  "ci-runners",
  "grafana",
  "vault",
  "object-storage",
  "dns",
  "cdn",
];

const SUMMARIES: Record<string, readonly string[]> = {
  [ISSUE_TYPE.bug]: [
    "{svc} returns 502 during rolling deploys",
    "{svc} leaks file descriptors under load",
    "Disk usage alert flapping on {svc}",
    "{svc} health check times out after the upgrade",
    "Memory spike on {svc} after a config reload",
    "TLS handshake failures between {svc} and {svc2}",
    "Nightly backups of {svc} silently skipped",
    "{svc} pods stuck in CrashLoopBackOff",
    "Login fails when the session token of {svc} has expired",
    "Clock drift on {svc} breaks token validation",
  ],
  [ISSUE_TYPE.task]: [
    "Rotate credentials for {svc}",
    "Upgrade {svc} to the next minor version",
    "Write a runbook for {svc} failover",
    "Tune alert thresholds for {svc}",
    "Move {svc} logs to the new retention policy",
    "Right-size {svc} instances to cut cost",
    "Enable audit logging on {svc}",
    "Patch the base image of {svc}",
    "Renew the TLS certificate of {svc}",
  ],
  [ISSUE_TYPE.story]: [
    "As an on-call engineer I can restart {svc} from chat",
    "Self-service latency dashboards for {svc}",
    "Automated canary analysis for {svc}",
    "Status page shows {svc} incidents automatically",
  ],
  [ISSUE_TYPE.epic]: [
    "Reliability goals for {svc} this quarter",
    "Migrate {svc} to Kubernetes",
    "Zero-downtime deploys for {svc}",
  ],
};

const WEB_SUMMARIES = [
  "Checkout button misaligned on Safari",
  "Dark mode colours for the settings page",
  "Lazy-load images on the landing page",
  "Accessibility audit of the sign-up form",
  "Upgrade the router to the next major version",
  "Broken link in the footer",
  "Flaky end-to-end test for password reset",
  "Cache static assets at the CDN",
];

const SEC_SUMMARIES = [
  "Dependency with a known CVE in {svc}",
  "Secrets found in the {svc} build logs",
  "Enforce MFA for {svc} admin access",
  "Pen-test finding: verbose errors from {svc}",
  "Review IAM policies of {svc}",
];

const LABELS = [
  "infra",
  "on-call",
  "tls",
  "database",
  "kubernetes",
  "monitoring",
  "security",
  "cost",
  "flaky",
  "customer-impact",
  "tech-debt",
  "runbook",
];

const WIKI = "https://wiki.example.com/ops";

function fill(template: string, random: Random): string {
  const svc = pick(random, SERVICES);
  const others = SERVICES.filter((service) => service !== svc);
  return template.replaceAll("{svc}", svc).replaceAll("{svc2}", pick(random, others));
}

const mentionOf = (member: UserRecord) => mention(member.accountId, member.displayName);

function bugDescription(random: Random, summary: string, owner: UserRecord): AdfDoc {
  const service = SERVICES.find((candidate) => summary.includes(candidate)) ?? "the service";
  const requestId = Math.floor(random() * 0xffffff)
    .toString(16)
    .padStart(6, "0");
  const blocks: AdfNode[] = [
    heading(2, "Summary"),
    paragraph(
      text("Since the last deploy, "),
      text(service, code),
      text(" misbehaves for a share of requests. "),
      mentionOf(owner),
      text(" noticed it on call."),
    ),
    heading(3, "Steps to reproduce"),
    orderedList(
      [text("Deploy the current "), text("main", code), text(" build to staging.")],
      [text(`Send about ${randomInt(random, 50, 500)} requests per second for five minutes.`)],
      [
        text("Watch the error rate on the "),
        text("service dashboard", link(`${WIKI}/dashboards/${service}`)),
      ],
    ),
    heading(3, "Logs"),
    codeBlock(
      "text",
      `2025-01-06T09:14:03Z ERROR ${service} request_id=${requestId} upstream connect error or disconnect/reset before headers\n2025-01-06T09:14:03Z WARN  ${service} retrying (attempt 2 of 3)`,
    ),
    table(
      ["", "Expected", "Actual"],
      [
        ["Status", "200", pick(random, ["502", "503", "504"])],
        ["p99 latency", "< 300 ms", `${randomInt(random, 900, 4000)} ms`],
      ],
    ),
  ];
  if (random() < 0.5) {
    blocks.push(panel("warning", paragraph(text("Customer impact: ", strong), text("checkout may fail."))));
  }
  return doc(...blocks);
}

function taskDescription(random: Random, summary: string, owner: UserRecord): AdfDoc {
  const service = SERVICES.find((candidate) => summary.includes(candidate)) ?? "the platform";
  return doc(
    heading(2, "Context"),
    paragraph(
      text(`${summary}. `),
      text("Owner: "),
      mentionOf(owner),
      text(". Follow the "),
      text("change process", link(`${WIKI}/change-process`)),
      text("."),
    ),
    heading(3, "Plan"),
    bulletList(
      [text("Announce the maintenance window in "), text("#ops-announce", code)],
      [text("Apply the change to "), text("staging", em), text(" first")],
      [text("Roll out to production with "), text(`./deploy.sh ${service} --canary`, code)],
      [text("Update the "), text("runbook", link(`${WIKI}/runbooks/${service}`))],
    ),
    codeBlock(
      "bash",
      `kubectl -n ${service} rollout status deploy/${service} --timeout=${randomInt(random, 2, 10)}m`,
    ),
    panel(
      "info",
      paragraph(text("Rollback: re-deploy the previous image tag; no data migration is involved.")),
    ),
  );
}

function storyDescription(random: Random, summary: string, owner: UserRecord): AdfDoc {
  return doc(
    heading(2, "User story"),
    paragraph(text(summary, em), text(", so that incidents are shorter.")),
    panel(
      "note",
      paragraph(text("Acceptance criteria", strong)),
      bulletList(
        [text("Works for every production service")],
        [text("Audited: who did what and when")],
        [text("Documented in the "), text("on-call guide", link(`${WIKI}/on-call`))],
      ),
    ),
    table(
      ["Metric", "Today", "Target"],
      [
        ["Time to mitigate", `${randomInt(random, 20, 90)} min`, "10 min"],
        ["Pages per week", String(randomInt(random, 5, 40)), "5"],
      ],
    ),
    paragraph(text("Product contact: "), mentionOf(owner)),
  );
}

function epicDescription(random: Random, summary: string, owner: UserRecord): AdfDoc {
  return doc(
    heading(1, summary),
    paragraph(text("Design doc: "), inlineCard(`${WIKI}/designs/${randomInt(random, 100, 999)}`)),
    rule,
    heading(2, "Milestones"),
    orderedList([text("Inventory and risks")], [text("Pilot on staging")], [text("Production rollout")]),
    paragraph(text("Driver: "), mentionOf(owner)),
  );
}

const DESCRIBE: Record<string, (random: Random, summary: string, owner: UserRecord) => AdfDoc> = {
  [ISSUE_TYPE.bug]: bugDescription,
  [ISSUE_TYPE.task]: taskDescription,
  [ISSUE_TYPE.story]: storyDescription,
  [ISSUE_TYPE.epic]: epicDescription,
};

function commentBody(random: Random, other: UserRecord): AdfDoc {
  const variant = randomInt(random, 0, 4);
  switch (variant) {
    case 0:
      return doc(paragraph(mentionOf(other), text(" can you take a look? The dashboards show it again.")));
    case 1:
      return doc(
        paragraph(
          text("Deployed the fix to staging; "),
          text("kubectl rollout status", code),
          text(" is green."),
        ),
      );
    case 2:
      return doc(
        paragraph(
          text("Root cause: ", strong),
          text("a connection pool that was too small after the upgrade."),
        ),
        codeBlock("yaml", `pool:\n  max: ${randomInt(random, 20, 200)}\n  idleTimeout: 30s`),
      );
    case 3:
      return doc(
        paragraph(
          text("Incident review: "),
          text("postmortem", link(`${WIKI}/postmortems/${randomInt(random, 1, 400)}`)),
        ),
      );
    default:
      return doc(paragraph(text("Still happening after the restart, raising the priority.")));
  }
}

export interface SeedResult {
  readonly projects: ProjectRecord[];
  readonly issues: IssueRecord[];
  readonly nextIssueId: number;
  readonly nextCommentId: number;
}

const pickType = (random: Random, allowed: readonly string[]): string => {
  const roll = random();
  const preferred =
    roll < 0.45
      ? ISSUE_TYPE.task
      : roll < 0.75
        ? ISSUE_TYPE.bug
        : roll < 0.95
          ? ISSUE_TYPE.story
          : ISSUE_TYPE.epic;
  return allowed.includes(preferred) ? preferred : (allowed[0] as string);
};

/** A status the workflow has, weighted towards Done for older issues. */
function pickStatus(random: Random, workflow: WorkflowRecord, age: number): string {
  const roll = random() * (0.6 + age * 0.6);
  const order =
    workflow === SECURITY_WORKFLOW
      ? [STATUS.toDo, STATUS.triage, STATUS.inProgress, STATUS.done]
      : [STATUS.toDo, STATUS.inProgress, STATUS.inReview, STATUS.done];
  if (roll < 0.25) return order[0] as string;
  if (roll < 0.42) return order[1] as string;
  if (roll < 0.52) return order[2] as string;
  return order[3] as string;
}

/** Builds every project, issue and comment from `seed`; issue dates end at `anchor` (the seed day, epoch ms). */
export function seedJira(seed: number, anchor: number): SeedResult {
  const random = seededRandom(seed * 7919 + 17);
  const projects: ProjectRecord[] = [];
  const issues: IssueRecord[] = [];
  let nextIssueId = FIRST_ISSUE_ID;
  let nextCommentId = FIRST_COMMENT_ID;
  PROJECT_SEEDS.forEach((projectSeed, index) => {
    const workflow = projectSeed.workflow ?? SOFTWARE_WORKFLOW;
    const project: ProjectRecord = {
      id: String(10000 + index),
      key: projectSeed.key,
      name: projectSeed.name,
      description: projectSeed.description,
      leadAccountId: accountIdFor(projectSeed.lead),
      projectTypeKey: projectSeed.type ?? "software",
      style: projectSeed.style ?? "classic",
      category: projectSeed.category,
      workflow,
      issueTypeIds: projectSeed.issueTypes ?? ALL_TYPES,
      restrictedTo: projectSeed.restrictedTo && new Set(projectSeed.restrictedTo.map(accountIdFor)),
      avatarId: 10400 + index,
      nextNumber: 1,
    };
    projects.push(project);
    const team = project.restrictedTo
      ? TEAM.filter((member) => project.restrictedTo?.has(member.accountId))
      : TEAM;
    const spacing = (projectSeed.spanDays * DAY) / Math.max(1, projectSeed.issues);
    for (let number = 1; number <= projectSeed.issues; number += 1) {
      const created =
        anchor -
        Math.round((projectSeed.issues - number + 1) * spacing) +
        Math.floor(random() * spacing * 0.5);
      const age = (anchor - created) / (projectSeed.spanDays * DAY);
      const issueTypeId = pickType(random, project.issueTypeIds);
      const template =
        projectSeed.key === "WEB"
          ? pick(random, WEB_SUMMARIES)
          : projectSeed.key === "SEC"
            ? pick(random, SEC_SUMMARIES)
            : pick(random, SUMMARIES[issueTypeId] ?? SUMMARIES[ISSUE_TYPE.task] ?? []);
      const summary = fill(template, random);
      const reporter = pick(random, team);
      const assignee = random() < 0.8 ? pick(random, team) : null;
      const statusId = pickStatus(random, workflow, age);
      const updated = created + Math.floor(random() * (anchor - created));
      const done = statusId === STATUS.done;
      const comments: CommentRecord[] = [];
      const commentCount = randomInt(random, 0, 4);
      let at = created;
      for (let c = 0; c < commentCount; c += 1) {
        at += Math.floor(random() * Math.max(1, (updated - at) / 2));
        const author = pick(random, team);
        const other = pick(
          random,
          team.filter((member) => member.accountId !== author.accountId),
        );
        comments.push({
          id: String(nextCommentId++),
          authorId: author.accountId,
          updateAuthorId: author.accountId,
          body: commentBody(random, other),
          created: at,
          updated: at,
        });
      }
      const owner = assignee ?? reporter;
      issues.push({
        id: String(nextIssueId++),
        projectId: project.id,
        number,
        key: `${project.key}-${number}`,
        summary,
        description:
          random() < 0.95 ? (DESCRIBE[issueTypeId] ?? taskDescription)(random, summary, owner) : null,
        issueTypeId,
        statusId,
        priorityId: String(randomInt(random, 1, 5)),
        resolutionId: done ? (random() < 0.85 ? RESOLUTION.done : RESOLUTION.wontDo) : null,
        labels: pickSome(random, LABELS, 3),
        assigneeId: assignee?.accountId ?? null,
        reporterId: reporter.accountId,
        creatorId: reporter.accountId,
        created,
        updated: Math.max(updated, at),
        resolutionDate: done ? Math.max(updated, at) : null,
        statusCategoryChangeDate: statusId === workflow.initialStatus ? created : Math.max(updated, at),
        dueDate:
          random() < 0.3
            ? new Date(created + randomInt(random, 7, 60) * DAY).toISOString().slice(0, 10)
            : null,
        comments,
      });
    }
    project.nextNumber = projectSeed.issues + 1;
  });
  pinFirstOpsIssue(issues, projects);
  return { projects, issues, nextIssueId, nextCommentId };
}

/** OPS-1 is fixed whatever the seed, so docs and tests can rely on it. */
function pinFirstOpsIssue(issues: IssueRecord[], projects: ProjectRecord[]): void {
  const ops = projects.find((project) => project.key === "OPS");
  const issue = issues.find((candidate) => candidate.projectId === ops?.id && candidate.number === 1);
  if (!issue) return;
  const alice = accountIdFor("alice");
  issue.summary = "Rotate the TLS certificate on the edge proxy";
  issue.issueTypeId = ISSUE_TYPE.task;
  issue.statusId = STATUS.inProgress;
  issue.priorityId = "2";
  issue.resolutionId = null;
  issue.resolutionDate = null;
  issue.labels = ["security", "tls"];
  issue.assigneeId = alice;
  issue.description = doc(
    heading(2, "Context"),
    paragraph(
      text("The certificate of "),
      text("edge-proxy", code),
      text(" expires in 14 days. "),
      mention(alice, "Alice Chen"),
      text(" owns the rotation."),
    ),
    bulletList(
      [text("Issue a new certificate")],
      [text("Deploy it with a canary")],
      [text("Revoke the old one")],
    ),
    codeBlock("bash", "openssl x509 -enddate -noout -in edge.pem"),
    table(["Host", "Expires"], [["edge-1", "in 14 days"]]),
    panel("warning", paragraph(text("Customer impact if it lapses: every HTTPS request fails."))),
  );
  issue.comments.splice(
    0,
    issue.comments.length,
    ...[0, 1, 2].map((index) => ({
      id: issue.comments[index]?.id ?? String(9000 + index),
      authorId: index === 1 ? SANDBOX_ACCOUNT_ID : alice,
      updateAuthorId: index === 1 ? SANDBOX_ACCOUNT_ID : alice,
      body: doc(
        paragraph(
          text(["New certificate issued.", "Canary looks healthy.", "Rolling out now."][index] ?? ""),
        ),
      ),
      created: issue.created + (index + 1) * HOUR,
      updated: issue.created + (index + 1) * HOUR,
    })),
  );
  issue.updated = Math.max(issue.updated, issue.created + 3 * HOUR);
}
