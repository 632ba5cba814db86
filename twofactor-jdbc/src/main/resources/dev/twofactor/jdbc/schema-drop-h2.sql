-- Drops the twofactor tables. ${prefix} is the table prefix (default tf_).

DROP TABLE IF EXISTS ${prefix}trusted_device;
DROP TABLE IF EXISTS ${prefix}enrolment_required;
DROP TABLE IF EXISTS ${prefix}policy;
DROP TABLE IF EXISTS ${prefix}app_password;
DROP TABLE IF EXISTS ${prefix}backoff;
DROP TABLE IF EXISTS ${prefix}recovery_code_set;
DROP TABLE IF EXISTS ${prefix}recovery_code;
DROP TABLE IF EXISTS ${prefix}credential;
