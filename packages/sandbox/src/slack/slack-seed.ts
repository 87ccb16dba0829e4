import { pick, type Random, randomInt, seededRandom } from "../shared/seeded-random.js";
import type { SlackChannelRecord, SlackMessageRecord, SlackUserRecord } from "./slack-model.js";
import { formatTs } from "./slack-ts.js";

/**
 * The seeded workspace. Ids, names and channel flags are fixed; the seed draws membership, message authors,
 * text, timestamps, threads and reactions, so the same seed gives the same workspace.
 */

export const SLACK_TEAM_ID = "T0SANDBOX";
export const SLACK_TEAM_NAME = "Switchyard Sandbox";
export const SLACK_TEAM_DOMAIN = "switchyard-sandbox";
export const SLACK_TEAM_URL = `https://${SLACK_TEAM_DOMAIN}.slack.com/`;
export const SLACK_APP_ID = "A0SBXAPP01";

/** Sam Sandbox, the primary owner who installed the app: the user token acts as Sam. */
export const SLACK_INSTALLER_USER_ID = "U0SBX0001";
/** The app's bot user (`@switchyard`): the bot token acts as it. */
export const SLACK_BOT_USER_ID = "U0SBXBOT1";
export const SLACK_BOT_ID = "B0SBX0001";

export const SLACK_GENERAL_CHANNEL_ID = "C0SBX00001";
/** Public, but the bot is not a member: history and chat.postMessage with the bot token get `not_in_channel`. */
export const SLACK_NO_BOTS_CHANNEL_ID = "C0SBX00010";
/** Top-level messages seeded in #general (threads come on top). */
export const SLACK_GENERAL_MESSAGE_COUNT = 520;
export const SLACK_CHANNEL_COUNT = 120;
/** 2026-01-05T09:00:00Z: seeded messages start within hours of it; #general spans about three months. */
export const SLACK_SEED_EPOCH_SECONDS = 1_767_603_600;
/** Index (oldest first) of the #general message whose thread has 24 replies. */
export const SLACK_LONG_THREAD_INDEX = 10;

const EMAIL_DOMAIN = "example.com";

const TIMEZONES = [
  ["America/Los_Angeles", "Pacific Standard Time", -28_800],
  ["America/New_York", "Eastern Standard Time", -18_000],
  ["Europe/London", "Greenwich Mean Time", 0],
  ["Europe/Berlin", "Central European Time", 3_600],
  ["Asia/Tokyo", "Japan Standard Time", 32_400],
] as const;

const TITLES = [
  "Software Engineer",
  "Senior Software Engineer",
  "Engineering Manager",
  "Product Manager",
  "Designer",
  "Site Reliability Engineer",
  "Support Lead",
  "Account Executive",
  "Data Scientist",
];

/** [first, last, flags]: a = admin, d = deactivated, g = guest (restricted). */
const PEOPLE: readonly (readonly [string, string, string?])[] = [
  ["Sam", "Sandbox", "a"],
  ["Alice", "Nguyen", "a"],
  ["Bob", "Okafor"],
  ["Carol", "Haddad"],
  ["Dave", "Kowalski"],
  ["Erin", "Fitzgerald"],
  ["Frank", "Moreau"],
  ["Grace", "Liu"],
  ["Heidi", "Svensson"],
  ["Ivan", "Petrov"],
  ["Judy", "Alvarez"],
  ["Ken", "Watanabe"],
  ["Laura", "Rossi"],
  ["Mallory", "Quinn", "d"],
  ["Niaj", "Rahman"],
  ["Olivia", "Brooks"],
  ["Peggy", "Carter"],
  ["Quentin", "Blake"],
  ["Rupert", "Singh"],
  ["Sybil", "Okonkwo"],
  ["Trent", "Halvorsen"],
  ["Uma", "Desai"],
  ["Victor", "Chen"],
  ["Wendy", "Park", "g"],
  ["Xavier", "Dubois"],
  ["Yara", "Costa"],
  ["Zane", "Mitchell"],
];

const COLORS = ["9f69e7", "4bbe2e", "e7392d", "3c989f", "674b1b", "e96699", "e0a729", "5b89d5", "2b6836"];

function seedUsers(random: Random): SlackUserRecord[] {
  const base = SLACK_SEED_EPOCH_SECONDS - 200 * 86_400;
  const people = PEOPLE.map(([first, last, flags = ""], index): SlackUserRecord => {
    const tz = pick(random, TIMEZONES);
    return {
      id: `U0SBX${String(index + 1).padStart(4, "0")}`,
      name: first.toLowerCase(),
      realName: `${first} ${last}`,
      displayName: first,
      email: `${first.toLowerCase()}.${last.toLowerCase()}@${EMAIL_DOMAIN}`,
      title: index === 0 ? "Workspace Owner" : pick(random, TITLES),
      tz: tz[0],
      tzLabel: tz[1],
      tzOffset: tz[2],
      color: COLORS[index % COLORS.length] as string,
      isAdmin: flags.includes("a"),
      isOwner: index === 0,
      isPrimaryOwner: index === 0,
      isRestricted: flags.includes("g"),
      isBot: false,
      deleted: flags.includes("d"),
      botId: undefined,
      updated: base + index * 3_600,
    };
  });
  const bot = (id: string, name: string, realName: string, botId: string | undefined): SlackUserRecord => ({
    id,
    name,
    realName,
    displayName: "",
    email: undefined,
    title: "",
    tz: "America/Los_Angeles",
    tzLabel: "Pacific Standard Time",
    tzOffset: -28_800,
    color: "757575",
    isAdmin: false,
    isOwner: false,
    isPrimaryOwner: false,
    isRestricted: false,
    isBot: true,
    deleted: false,
    botId,
    updated: base,
  });
  return [
    ...people,
    bot(SLACK_BOT_USER_ID, "switchyard", "Switchyard", SLACK_BOT_ID),
    bot("U0SBXBOT2", "deploybot", "Deploy Bot", "B0SBX0002"),
    bot("USLACKBOT", "slackbot", "Slackbot", undefined),
  ];
}

/** [name, flags, topic/purpose]: p = private, a = archived, b = bot member, s = Sam member. */
const NAMED_CHANNELS: readonly (readonly [string, string, string])[] = [
  ["general", "bs", "Company-wide announcements and work-based matters"],
  ["random", "bs", "Non-work banter and water cooler conversation"],
  ["engineering", "bs", "Engineering discussions"],
  ["incidents", "bs", "Active incidents and follow-ups"],
  ["deploys", "bs", "Deploy notifications"],
  ["design", "bs", "Design reviews"],
  ["product", "bs", "Product planning"],
  ["sales", "bs", "Deals and pipeline"],
  ["support", "bs", "Customer support escalations"],
  ["no-bots", "s", "A public channel the sandbox bot has not joined"],
  ["leadership", "ps", "Leadership team (private; the bot is not a member)"],
  ["secret-project", "pbs", "Private project channel the bot is in"],
  ["hr-private", "p", "HR only (neither Sam nor the bot is a member)"],
  ["old-launch", "abs", "Archived launch channel"],
  ["legacy-oncall", "pabs", "Archived private on-call channel"],
];

const PREFIXES = ["proj", "team", "help", "ext", "ops", "feat", "squad", "topic"];
const WORDS = [
  "atlas",
  "beacon",
  "cobalt",
  "delta",
  "ember",
  "falcon",
  "garnet",
  "harbor",
  "indigo",
  "juniper",
  "kestrel",
  "lumen",
  "meridian",
  "nebula",
  "onyx",
  "pioneer",
  "quartz",
  "raven",
  "summit",
  "tundra",
  "umbra",
  "vertex",
  "willow",
  "zephyr",
];

const TOPICS = [
  "billing",
  "search",
  "onboarding",
  "payments",
  "the mobile app",
  "the data pipeline",
  "the auth service",
  "kubernetes",
  "analytics",
  "sso",
  "webhooks",
  "the status page",
];

interface TextParts {
  readonly user: string;
  readonly channel: string;
  readonly topic: string;
  readonly link: string;
  readonly bareLink: string;
}

const TEMPLATES: readonly ((parts: TextParts) => string)[] = [
  (p) => `Morning all! Standup notes for ${p.topic} are in ${p.link}`,
  (p) => `${p.user} could you take a look at the ${p.topic} dashboard when you have a minute?`,
  (p) => `Heads up: a ${p.topic} deploy starts in 10 minutes, follow along in ${p.channel}`,
  (p) => `Shipped a fix for ${p.topic} :tada: thanks ${p.user}!`,
  (p) => `Reminder: please review the ${p.topic} design doc before Friday ${p.link}`,
  (p) => `Anyone else seeing flaky tests around ${p.topic}? ${p.user} mentioned it in ${p.channel}`,
  () => "Lunch poll for Thursday :pizza: :sushi: :taco:",
  (p) => `Metrics for ${p.topic} are up 12% week over week, details: ${p.bareLink}`,
  (p) => `Question about ${p.topic}: do we still need the legacy fallback?`,
  (p) => `Welcome ${p.user} to the team! :wave:`,
  (p) => `Incident retro for ${p.topic} is scheduled, notes will go to ${p.channel}`,
  (p) => `<!here> ${p.topic} maintenance window tonight 22:00-23:00 UTC`,
];

const REPLIES: readonly ((parts: TextParts) => string)[] = [
  () => "On it",
  () => "Thanks, looking now",
  (p) => `+1, ${p.user} has context on this`,
  () => "Fixed in the latest build",
  (p) => `See ${p.link}`,
  () => "Can we move this to a call?",
  () => ":white_check_mark: done",
  (p) => `I think ${p.channel} is the better place for this`,
];

const REACTIONS = ["thumbsup", "eyes", "tada", "white_check_mark", "heart", "rocket"];

/** Messages with fixed text (for search tests): channel name, index among its messages, text. */
const FIXED_TEXTS: readonly (readonly [string, number, string])[] = [
  ["general", 0, "Welcome to <#C0SBX00001|general>! Say hi :wave:"],
  [
    "general",
    42,
    "The quarterly roadmap review moved to Thursday, agenda in <https://docs.example.com/roadmap|the roadmap doc>",
  ],
  ["general", 300, "<!channel> the office is closed on Monday for the holiday"],
  [
    "leadership",
    1,
    "Board deck draft: quarterly numbers look good, see <https://docs.example.com/board|the deck>",
  ],
  ["hr-private", 0, "Draft salary bands for 2026 are in the HR drive"],
  ["secret-project", 0, "Codename for the secret project is PELICAN, keep it in this channel"],
];

interface Builder {
  readonly random: Random;
  readonly humans: readonly SlackUserRecord[];
  readonly publicChannels: () => readonly SlackChannelRecord[];
}

function parts(builder: Builder, channel: SlackChannelRecord): TextParts {
  const { random } = builder;
  const user = pick(random, builder.humans);
  const others = builder.publicChannels().filter((other) => other.id !== channel.id);
  const target = others.length > 0 ? pick(random, others) : channel;
  const topic = pick(random, TOPICS);
  const slug = topic.replace(/^the /, "").replace(/\s+/g, "-");
  return {
    user: `<@${user.id}>`,
    channel: `<#${target.id}|${target.name}>`,
    topic,
    link: `<https://docs.example.com/${slug}|${topic} notes>`,
    bareLink: `<https://status.example.com/${slug}>`,
  };
}

function message(
  channel: SlackChannelRecord,
  micros: number,
  user: SlackUserRecord,
  text: string,
): SlackMessageRecord {
  let at = micros;
  while (channel.byTs.has(formatTs(at))) at += 1;
  const record: SlackMessageRecord = {
    ts: formatTs(at),
    micros: at,
    channel: channel.id,
    user: user.id,
    text,
    threadTs: undefined,
    replies: [],
    reactions: [],
    subtype: undefined,
    botId: user.botId,
    appId: user.botId === SLACK_BOT_ID ? SLACK_APP_ID : user.botId ? "A0SBXAPP02" : undefined,
    blocks: undefined,
    attachments: undefined,
  };
  channel.byTs.set(record.ts, record);
  return record;
}

function seedReactions(builder: Builder, record: SlackMessageRecord): void {
  const { random } = builder;
  if (random() >= 0.15) return;
  const names = new Set<string>();
  const count = randomInt(random, 1, 3);
  while (names.size < count) names.add(pick(random, REACTIONS));
  for (const name of names) {
    const users = new Set<string>();
    const reactors = randomInt(random, 1, 4);
    while (users.size < reactors) users.add(pick(random, builder.humans).id);
    record.reactions.push({ name, users: [...users] });
  }
}

function seedMessages(
  builder: Builder,
  channel: SlackChannelRecord,
  count: number,
  startSeconds: number,
  authors: readonly SlackUserRecord[],
): void {
  const { random } = builder;
  let seconds = startSeconds;
  for (let index = 0; index < count; index += 1) {
    seconds += randomInt(random, 1_800, 14_400);
    const author = pick(random, authors);
    const fixed = FIXED_TEXTS.find(([name, at]) => name === channel.name && at === index);
    const text = fixed ? fixed[2] : pick(random, TEMPLATES)(parts(builder, channel));
    const parent = message(channel, seconds * 1_000_000 + randomInt(random, 0, 999_999), author, text);
    channel.timeline.push(parent);
    seedReactions(builder, parent);
    const longThread = channel.isGeneral && index === SLACK_LONG_THREAD_INDEX;
    const replies = longThread ? 24 : random() < 0.12 ? randomInt(random, 1, 8) : 0;
    let replyMicros = parent.micros;
    for (let reply = 0; reply < replies; reply += 1) {
      replyMicros += randomInt(random, 60, 900) * 1_000_000 + randomInt(random, 0, 999_999);
      const record = message(
        channel,
        replyMicros,
        pick(random, authors),
        pick(random, REPLIES)(parts(builder, channel)),
      );
      record.threadTs = parent.ts;
      parent.replies.push(record);
    }
    if (replies > 0) parent.threadTs = parent.ts;
  }
}

export interface SlackSeed {
  readonly users: SlackUserRecord[];
  readonly channels: SlackChannelRecord[];
}

function channelRecord(
  index: number,
  name: string,
  flags: { isPrivate: boolean; isArchived: boolean },
  creator: string,
  purpose: string,
): SlackChannelRecord {
  return {
    id: `C0SBX${String(index + 1).padStart(5, "0")}`,
    name,
    isPrivate: flags.isPrivate,
    isArchived: flags.isArchived,
    isGeneral: name === "general",
    created: SLACK_SEED_EPOCH_SECONDS - 180 * 86_400 + index * 86_400,
    creator,
    topic: "",
    purpose,
    members: new Set(),
    timeline: [],
    byTs: new Map(),
  };
}

export function seedSlack(seed: number): SlackSeed {
  const random = seededRandom(seed * 7_919 + 17);
  const users = seedUsers(random);
  const humans = users.filter((user) => !user.isBot);
  const active = humans.filter((user) => !user.deleted);
  const installer = users[0] as SlackUserRecord;
  const bots = users.filter((user) => user.isBot && user.botId !== undefined);
  const channels: SlackChannelRecord[] = [];
  const builder: Builder = {
    random,
    humans: active,
    publicChannels: () => channels.filter((channel) => !channel.isPrivate),
  };

  const addMembers = (channel: SlackChannelRecord, share: number) => {
    for (const user of active) if (random() < share) channel.members.add(user.id);
  };
  NAMED_CHANNELS.forEach(([name, flags, purpose], index) => {
    const channel = channelRecord(
      index,
      name,
      { isPrivate: flags.includes("p"), isArchived: flags.includes("a") },
      pick(random, active.slice(1, 5)).id,
      purpose,
    );
    if (channel.isGeneral) for (const user of active) channel.members.add(user.id);
    else addMembers(channel, 0.5);
    channel.members.add(channel.creator);
    if (flags.includes("s")) channel.members.add(installer.id);
    else channel.members.delete(installer.id);
    if (flags.includes("b")) channel.members.add(SLACK_BOT_USER_ID);
    if (name === "deploys" || name === "general") channel.members.add("U0SBXBOT2");
    channels.push(channel);
  });
  for (let index = 0; channels.length < SLACK_CHANNEL_COUNT; index += 1) {
    const name = `${PREFIXES[index % PREFIXES.length]}-${WORDS[Math.floor(index / PREFIXES.length)]}`;
    const isPrivate = index % 6 === 5;
    const channel = channelRecord(
      channels.length,
      name,
      { isPrivate, isArchived: index % 10 === 7 },
      pick(random, active).id,
      `Channel for ${name.replace("-", " ")}`,
    );
    addMembers(channel, 0.3);
    if (random() < (isPrivate ? 0.6 : 0.8)) channel.members.add(installer.id);
    else channel.members.delete(installer.id);
    if (random() < (isPrivate ? 0.5 : 0.75)) channel.members.add(SLACK_BOT_USER_ID);
    if (channel.members.size === 0) channel.members.add(channel.creator);
    channels.push(channel);
  }

  for (const channel of channels) {
    const members = [...channel.members]
      .map((id) => users.find((user) => user.id === id))
      .filter((user): user is SlackUserRecord => user !== undefined);
    // Mallory (deactivated) wrote in #general before she left; bots post where they are members.
    const authors = channel.isGeneral
      ? [...members, humans.find((user) => user.deleted) as SlackUserRecord]
      : members.filter((user) => !user.isBot || bots.includes(user));
    const count = channel.isGeneral
      ? SLACK_GENERAL_MESSAGE_COUNT
      : FIXED_TEXTS.some(([name]) => name === channel.name)
        ? randomInt(random, 3, 8)
        : randomInt(random, 0, 12);
    seedMessages(
      builder,
      channel,
      count,
      SLACK_SEED_EPOCH_SECONDS - 3_600,
      authors.length > 0 ? authors : active,
    );
  }
  return { users, channels };
}
