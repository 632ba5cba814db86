package dev.twofactor.jdbc.internal;

import dev.twofactor.EnforcementLevel;
import dev.twofactor.OrganisationPolicy;
import java.time.Duration;
import java.time.Instant;

/** The policy table (one row) and the enrolment-required records. User ids are checked by the caller. */
public final class PolicyTable {

    private final Jdbc jdbc;
    private final Statements sql;

    /**
     * @param jdbc the connection helper
     * @param sql the statements
     */
    public PolicyTable(Jdbc jdbc, Statements sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    /**
     * @return the stored policy, or {@link OrganisationPolicy#NONE}
     */
    public OrganisationPolicy load() {
        return jdbc.query("Could not read the organisation policy", sql.loadPolicy, statement -> { }, rows -> {
            if (!rows.next()) {
                return OrganisationPolicy.NONE;
            }
            return new OrganisationPolicy(EnforcementLevel.valueOf(rows.getString(1)),
                    Duration.ofMillis(rows.getLong(2)), Instant.ofEpochMilli(rows.getLong(3)));
        });
    }

    /**
     * @param policy the policy to store (an upsert; a duplicate key of a concurrent first insert is run again)
     */
    public void save(OrganisationPolicy policy) {
        Jdbc.Binder binder = statement -> {
            statement.setString(1, policy.level().name());
            statement.setLong(2, policy.gracePeriod().toMillis());
            statement.setLong(3, policy.effectiveFrom().toEpochMilli());
        };
        if (jdbc.updateUnlessDuplicate("Could not save the organisation policy", sql.savePolicy, binder) < 0) {
            jdbc.update("Could not save the organisation policy", sql.savePolicy, binder);
        }
    }

    /**
     * @param userId the user
     * @param at when
     * @return whether this call inserted the user's record (a duplicate key: another call did)
     */
    public boolean recordEnrolmentRequired(String userId, Instant at) {
        boolean recorded = jdbc.query("Could not read the enrolment-required record", sql.findEnrolmentRequired,
                statement -> statement.setString(1, userId), rows -> rows.next());
        if (recorded) {
            return false;
        }
        return jdbc.updateUnlessDuplicate("Could not record that enrolment is required",
                sql.insertEnrolmentRequired, statement -> {
                    statement.setString(1, userId);
                    statement.setLong(2, at.toEpochMilli());
                }) == 1;
    }
}
