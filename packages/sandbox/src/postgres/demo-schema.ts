/**
 * The demo schema the embedded PostgreSQL starts with, so database tools have something to show: customers
 * and their orders, with comments on every table and column, a foreign key, indexes, check constraints and a
 * view. Rows come from generate_series with fixed formulas: the same data on every start.
 */

export const DEMO_SCHEMA = "demo";
export const DEMO_CUSTOMER_COUNT = 1_000;
export const DEMO_ORDER_COUNT = 5_000;

export const DEMO_SEED_SQL = `
CREATE SCHEMA ${DEMO_SCHEMA};
COMMENT ON SCHEMA demo IS 'Demo shop data seeded by the Switchyard sandbox';

CREATE TABLE demo.customers (
  id integer PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL UNIQUE,
  country char(2) NOT NULL,
  tier text NOT NULL CHECK (tier IN ('free', 'pro', 'enterprise')),
  created_at timestamptz NOT NULL
);
COMMENT ON TABLE demo.customers IS 'Customers of the demo shop, one row per account';
COMMENT ON COLUMN demo.customers.id IS 'Customer number';
COMMENT ON COLUMN demo.customers.name IS 'Full name';
COMMENT ON COLUMN demo.customers.email IS 'Login and contact address (unique)';
COMMENT ON COLUMN demo.customers.country IS 'ISO 3166-1 alpha-2 country code';
COMMENT ON COLUMN demo.customers.tier IS 'Plan: free, pro or enterprise';
COMMENT ON COLUMN demo.customers.created_at IS 'When the account was opened';

CREATE TABLE demo.orders (
  id integer PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES demo.customers (id),
  status text NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled', 'refunded')),
  total_cents integer NOT NULL CHECK (total_cents >= 0),
  currency char(3) NOT NULL DEFAULT 'USD',
  placed_at timestamptz NOT NULL
);
COMMENT ON TABLE demo.orders IS 'Orders placed by customers';
COMMENT ON COLUMN demo.orders.id IS 'Order number';
COMMENT ON COLUMN demo.orders.customer_id IS 'The customer who placed the order (demo.customers.id)';
COMMENT ON COLUMN demo.orders.status IS 'pending, paid, shipped, cancelled or refunded';
COMMENT ON COLUMN demo.orders.total_cents IS 'Order total in cents of currency';
COMMENT ON COLUMN demo.orders.currency IS 'ISO 4217 currency code';
COMMENT ON COLUMN demo.orders.placed_at IS 'When the order was placed';
CREATE INDEX orders_customer_id_idx ON demo.orders (customer_id);
CREATE INDEX orders_placed_at_idx ON demo.orders (placed_at);

INSERT INTO demo.customers (id, name, email, country, tier, created_at)
SELECT
  i,
  first_name || ' ' || last_name,
  lower(first_name) || '.' || lower(last_name) || '.' || i || '@example.com',
  (ARRAY['US', 'DE', 'FR', 'GB', 'JP', 'BR', 'IN', 'CA', 'NL', 'SE'])[1 + (i * 7) % 10],
  (ARRAY['free', 'free', 'free', 'pro', 'pro', 'enterprise'])[1 + (i * 5) % 6],
  timestamptz '2024-01-01 00:00:00+00' + (i * interval '13 hours')
FROM generate_series(1, ${DEMO_CUSTOMER_COUNT}) AS i,
  LATERAL (SELECT
    (ARRAY['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus'])[1 + i % 10] AS first_name,
    (ARRAY['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman', 'Torvalds', 'Ritchie'])[1 + (i / 10) % 11] AS last_name
  ) AS names;

INSERT INTO demo.orders (id, customer_id, status, total_cents, currency, placed_at)
SELECT
  i,
  1 + (i * 7919) % ${DEMO_CUSTOMER_COUNT},
  (ARRAY['paid', 'shipped', 'shipped', 'pending', 'cancelled', 'refunded', 'shipped'])[1 + (i * 3) % 7],
  500 + (i * 7907) % 49500,
  (ARRAY['USD', 'USD', 'EUR', 'GBP'])[1 + i % 4],
  timestamptz '2025-01-01 00:00:00+00' + (i * interval '97 minutes')
FROM generate_series(1, ${DEMO_ORDER_COUNT}) AS i;

CREATE VIEW demo.customer_totals AS
SELECT c.id AS customer_id, c.name, count(o.id) AS orders, coalesce(sum(o.total_cents), 0) AS total_cents
FROM demo.customers c LEFT JOIN demo.orders o ON o.customer_id = c.id AND o.status IN ('paid', 'shipped')
GROUP BY c.id, c.name;
COMMENT ON VIEW demo.customer_totals IS 'Paid and shipped orders per customer';

ANALYZE demo.customers;
ANALYZE demo.orders;
`;
