-- twofactor tables for MySQL (5.7 or later) and MariaDB (10.2 or later).
-- ${prefix} is the table prefix (default tf_); replace it, or let Flyway/Liquibase substitute it as a placeholder.
-- Times are epoch milliseconds (BIGINT), so that conditional updates compare them exactly.
-- Secrets are stored sealed (AES-256-GCM by default) with the id of the key that sealed them.
-- Ids are VARBINARY: compared byte for byte, so that ids differing only in case or trailing spaces stay distinct
-- (MySQL's text collations, even utf8mb4_bin, ignore trailing spaces).

CREATE TABLE IF NOT EXISTS ${prefix}credential (
    user_id                VARBINARY(1020) NOT NULL,
    secret_key_id          VARBINARY(256),
    secret                 VARBINARY(1024),
    last_used_step         BIGINT          NOT NULL DEFAULT -1,
    enabled_at             BIGINT,
    pending_id             VARBINARY(256),
    pending_key_id         VARBINARY(256),
    pending_secret         VARBINARY(1024),
    pending_created_at     BIGINT,
    pending_expires_at     BIGINT,
    pending_confirmed_step BIGINT,
    PRIMARY KEY (user_id),
    INDEX ${prefix}credential_key_idx (secret_key_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}recovery_code (
    id        VARBINARY(256)  NOT NULL,
    user_id   VARBINARY(1020) NOT NULL,
    ordinal   INT             NOT NULL,
    code_hash VARCHAR(512)    NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (id),
    INDEX ${prefix}recovery_code_user_idx (user_id, ordinal)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per user, written first by every replacement of the user's set: it serialises replacements.
CREATE TABLE IF NOT EXISTS ${prefix}recovery_code_set (
    user_id    VARBINARY(1020) NOT NULL,
    generation BIGINT          NOT NULL,
    PRIMARY KEY (user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per user and scope (SECOND_FACTOR, APP_PASSWORD): the two counters are independent.
CREATE TABLE IF NOT EXISTS ${prefix}backoff (
    user_id       VARBINARY(1020) NOT NULL,
    scope         VARCHAR(16)     NOT NULL,
    failures      INT             NOT NULL,
    blocked_until BIGINT          NOT NULL,
    locked        BOOLEAN         NOT NULL,
    PRIMARY KEY (user_id, scope)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}app_password (
    id            VARBINARY(256)  NOT NULL,
    user_id       VARBINARY(1020) NOT NULL,
    name          VARCHAR(200)    NOT NULL,
    permissions   TEXT            NOT NULL,
    password_hash VARCHAR(512)    NOT NULL,
    created_at    BIGINT          NOT NULL,
    last_used_at  BIGINT,
    lookup_tag    VARCHAR(16),
    PRIMARY KEY (id),
    INDEX ${prefix}app_password_user_idx (user_id, created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}policy (
    id              SMALLINT    NOT NULL,
    policy_level    VARCHAR(16) NOT NULL,
    grace_period_ms BIGINT      NOT NULL,
    effective_from  BIGINT      NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per user the organisation policy required to enrol, written once: the ENROLMENT_REQUIRED event is emitted
-- by the node whose insert succeeded.
CREATE TABLE IF NOT EXISTS ${prefix}enrolment_required (
    user_id     VARBINARY(1020) NOT NULL,
    recorded_at BIGINT          NOT NULL,
    PRIMARY KEY (user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Trusted ("remembered") devices: only the SHA-256 hash of a device token's 256-bit secret is stored. The id is the
-- token's first part, so a verification is one lookup by primary key (joined with credential and backoff).
CREATE TABLE IF NOT EXISTS ${prefix}trusted_device (
    id           VARBINARY(256)  NOT NULL,
    user_id      VARBINARY(1020) NOT NULL,
    name         VARCHAR(200)    NOT NULL,
    token_hash   VARCHAR(64)     NOT NULL,
    created_at   BIGINT          NOT NULL,
    last_used_at BIGINT,
    expires_at   BIGINT          NOT NULL,
    PRIMARY KEY (id),
    INDEX ${prefix}trusted_device_user_idx (user_id, created_at),
    -- The purge of expired devices (TrustedDevices.purgeExpired) finds them through this index, without a scan. A
    -- table created before it gets it with ALTER TABLE (see twofactor-jdbc/README.md, "Upgrading existing tables").
    INDEX ${prefix}trusted_device_expires_idx (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
