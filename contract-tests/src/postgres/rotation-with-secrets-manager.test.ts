/**
 * Issue 5's rotation scenario end to end: the PostgreSQL connector reads its password from AWS Secrets Manager
 * (the sandbox's fake, served in-process through MSW), and 1,000 queries run while the role's password is
 * rotated the way a rotation Lambda does it: the new value is put on the secret as AWSCURRENT, then applied to
 * the database. The connector's cached password is refused (28P01), the provider re-reads the secret, and
 * not a single query fails.
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { awsSecretsCredentials } from "@switchyard/aws-secrets";
import { createPostgresConnector, type PostgresConnector } from "@switchyard/postgres";
import {
  type PrivateCluster,
  privateClusterUnavailable,
  startPrivateCluster,
} from "@switchyard/postgres/testing";
import {
  AWS_SANDBOX_ACCESS_KEY_ID,
  AWS_SANDBOX_SECRET_ACCESS_KEY,
  createAwsSecretsSandboxHandlers,
} from "@switchyard/sandbox";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { server } from "../harness/msw-server.js";
import { describeForTargets } from "../harness/target.js";

const unavailable = privateClusterUnavailable();
const SECRET_ID = "contract/postgres-app";
const ENDPOINT = "https://secretsmanager.us-east-1.amazonaws.com";

describeForTargets("PostgreSQL password rotation through AWS Secrets Manager", { targets: ["mock"] }, () => {
  let cluster: PrivateCluster;
  let admin: pg.Client;
  let postgres: PostgresConnector;
  const secrets = createAwsSecretsSandboxHandlers({ baseUrl: ENDPOINT });

  beforeAll(async () => {
    if (unavailable) return;
    cluster = await startPrivateCluster();
    admin = new pg.Client({
      host: cluster.host,
      port: cluster.port,
      user: cluster.superuser,
      password: cluster.superuserPassword,
      database: "postgres",
    });
    await admin.connect();
    await admin.query(`CREATE ROLE app LOGIN PASSWORD 'password-one'`);
    await admin.query(
      "CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 100)",
    );
    await admin.query("GRANT SELECT ON items TO app");
    secrets.state.createSecret({
      name: SECRET_ID,
      value: JSON.stringify({ username: "app", password: "password-one" }),
    });
  }, 60_000);

  afterAll(async () => {
    await postgres?.close();
    await admin?.end().catch(() => {});
    await cluster?.stop();
  }, 30_000);

  it.skipIf(unavailable !== undefined)(
    `1,000 queries while the secret and the role's password rotate: zero failures${unavailable ? ` [SKIPPED: ${unavailable}]` : ""}`,
    async () => {
      server.use(...secrets.handlers);
      const client = new SecretsManagerClient({
        region: "us-east-1",
        endpoint: ENDPOINT,
        credentials: {
          accessKeyId: AWS_SANDBOX_ACCESS_KEY_ID,
          secretAccessKey: AWS_SANDBOX_SECRET_ACCESS_KEY,
        },
      });
      const credentials = awsSecretsCredentials({
        secretId: SECRET_ID,
        key: "password",
        client,
        ttlMs: 60 * 60_000,
      });
      postgres = createPostgresConnector({
        host: cluster.host,
        port: cluster.port,
        database: "postgres",
        user: "app",
        credentials,
        max: 5,
        maxUses: 40,
        retry: { maxRetries: 0 },
      });

      const TOTAL = 1000;
      let started = 0;
      let rotated = false;
      const failures: unknown[] = [];
      const worker = async () => {
        while (started < TOTAL) {
          started += 1;
          if (started === 300 && !rotated) {
            rotated = true;
            // What a rotation Lambda does: the new version becomes AWSCURRENT, then the database follows.
            secrets.state.rotate(SECRET_ID, JSON.stringify({ username: "app", password: "password-two" }), {
              finish: true,
            });
            await admin.query(`ALTER ROLE app PASSWORD 'password-two'`);
          }
          try {
            const { output } = await postgres.call("postgres_query", {
              sql: "SELECT count(*)::int AS n FROM items",
            });
            expect(output.items).toEqual([{ n: 100 }]);
          } catch (error) {
            failures.push(error);
          }
        }
      };
      await Promise.all(Array.from({ length: 20 }, worker));
      expect(failures).toEqual([]);
      expect(rotated).toBe(true);
      // Sessions opened with the old password are gone once recycled; new ones authenticate with the new one.
      const stillOld = await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'app' AND backend_start < now() - interval '1 hour'",
      );
      expect(stillOld.rows[0].n).toBe(0);
    },
    120_000,
  );
});
