-- twofactor tables for H2 (2.x).
-- ${prefix} is the table prefix (default tf_); replace it, or let Flyway/Liquibase substitute it as a placeholder.
-- Times are epoch milliseconds (BIGINT), so that conditional updates compare them exactly.
-- Secrets are stored sealed (AES-256-GCM by default) with the id of the key that sealed them.

CREATE TABLE IF NOT EXISTS ${prefix}credential (
    user_id                VARCHAR(255) NOT NULL,
    secret_key_id          VARCHAR(64),
    secret                 BINARY VARYING(1024),
    last_used_step         BIGINT       NOT NULL DEFAULT -1,
    enabled_at             BIGINT,
    pending_id             VARCHAR(64),
    pending_key_id         VARCHAR(64),
    pending_secret         BINARY VARYING(1024),
    pending_created_at     BIGINT,
    pending_expires_at     BIGINT,
    pending_confirmed_step BIGINT,
    CONSTRAINT ${prefix}credential_pk PRIMARY KEY (user_id)
);
CREATE INDEX IF NOT EXISTS ${prefix}credential_key_idx ON ${prefix}credential (secret_key_id);

CREATE TABLE IF NOT EXISTS ${prefix}recovery_code (
    id        VARCHAR(64)  NOT NULL,
    user_id   VARCHAR(255) NOT NULL,
    ordinal   INTEGER      NOT NULL,
    code_hash VARCHAR(512) NOT NULL,
    used_at   BIGINT,
    CONSTRAINT ${prefix}recovery_code_pk PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ${prefix}recovery_code_user_idx ON ${prefix}recovery_code (user_id, ordinal);

-- One row per user, written first by every replacement of the user's set: it serialises replacements.
CREATE TABLE IF NOT EXISTS ${prefix}recovery_code_set (
    user_id    VARCHAR(255) NOT NULL,
    generation BIGINT       NOT NULL,
    CONSTRAINT ${prefix}recovery_code_set_pk PRIMARY KEY (user_id)
);

-- One row per user and scope (SECOND_FACTOR, APP_PASSWORD): the two counters are independent.
CREATE TABLE IF NOT EXISTS ${prefix}backoff (
    user_id       VARCHAR(255) NOT NULL,
    scope         VARCHAR(16)  NOT NULL,
    failures      INTEGER      NOT NULL,
    blocked_until BIGINT       NOT NULL,
    locked        BOOLEAN      NOT NULL,
    CONSTRAINT ${prefix}backoff_pk PRIMARY KEY (user_id, scope)
);

CREATE TABLE IF NOT EXISTS ${prefix}app_password (
    id            VARCHAR(64)  NOT NULL,
    user_id       VARCHAR(255) NOT NULL,
    name          VARCHAR(200) NOT NULL,
    permissions   CHARACTER VARYING NOT NULL,
    password_hash VARCHAR(512) NOT NULL,
    created_at    BIGINT       NOT NULL,
    last_used_at  BIGINT,
    lookup_tag    VARCHAR(16),
    CONSTRAINT ${prefix}app_password_pk PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ${prefix}app_password_user_idx ON ${prefix}app_password (user_id, created_at);

CREATE TABLE IF NOT EXISTS ${prefix}policy (
    id              SMALLINT    NOT NULL,
    policy_level    VARCHAR(16) NOT NULL,
    grace_period_ms BIGINT      NOT NULL,
    effective_from  BIGINT      NOT NULL,
    CONSTRAINT ${prefix}policy_pk PRIMARY KEY (id)
);

-- One row per user the organisation policy required to enrol, written once: the ENROLMENT_REQUIRED event is emitted
-- by the node whose insert succeeded.
CREATE TABLE IF NOT EXISTS ${prefix}enrolment_required (
    user_id     VARCHAR(255) NOT NULL,
    recorded_at BIGINT       NOT NULL,
    CONSTRAINT ${prefix}enrolment_required_pk PRIMARY KEY (user_id)
);

-- Trusted ("remembered") devices: only the SHA-256 hash of a device token's 256-bit secret is stored. The id is the
-- token's first part, so a verification is one lookup by primary key (joined with credential and backoff).
CREATE TABLE IF NOT EXISTS ${prefix}trusted_device (
    id           VARCHAR(64)  NOT NULL,
    user_id      VARCHAR(255) NOT NULL,
    name         VARCHAR(200) NOT NULL,
    token_hash   VARCHAR(64)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    last_used_at BIGINT,
    expires_at   BIGINT       NOT NULL,
    CONSTRAINT ${prefix}trusted_device_pk PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ${prefix}trusted_device_user_idx ON ${prefix}trusted_device (user_id, created_at);
-- The purge of expired devices (TrustedDevices.purgeExpired) finds them through this index, without a scan.
CREATE INDEX IF NOT EXISTS ${prefix}trusted_device_expires_idx ON ${prefix}trusted_device (expires_at);
