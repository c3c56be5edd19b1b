-- Graph change-notification subscriptions (one per account's calendar) and, for several sidecars on one
-- PostgreSQL store, the sidecars alive and which one syncs each account. Placeholders as in V1.

-- The account's subscription at Graph: its id, where it delivers, until when; the clientState is a secret.
CREATE TABLE graph_subscription (
  account_id        BIGINT PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
  subscription_id   VARCHAR(200) NOT NULL,
  notification_url  VARCHAR(2000) NOT NULL,
  client_state      ${bytes} NOT NULL,
  expires_at        ${timestamp} NOT NULL,
  created_at        ${timestamp} NOT NULL,
  updated_at        ${timestamp} NOT NULL,
  CONSTRAINT graph_subscription_id UNIQUE (subscription_id)
);

-- Scale-out: each running sidecar beats here; one whose beat is older than a lease is gone.
-- (Created on HSQLDB too, so both stores have one schema version; only PostgreSQL uses these two tables.)
CREATE TABLE sidecar_instance (
  instance_id   VARCHAR(100) PRIMARY KEY,
  started_at    ${timestamp} NOT NULL,
  heartbeat_at  ${timestamp} NOT NULL
);

-- Scale-out: the sidecar that syncs an account, until expires_at unless it renews (times are the database's).
CREATE TABLE sync_lease (
  account_id   BIGINT PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
  holder       VARCHAR(100),
  expires_at   ${timestamp} NOT NULL,
  acquired_at  ${timestamp}
);
CREATE INDEX sync_lease_holder ON sync_lease (holder);
