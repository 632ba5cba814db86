package dev.twofactor.spi;

import dev.twofactor.OrganisationPolicy;
import java.time.Instant;

/**
 * Stores the organisation-wide enforcement policy, which an administrator changes at run time.
 *
 * <p>Implementations are thread-safe; the last {@link #savePolicy} wins. They throw {@link StorageException} when the
 * store fails.
 */
public interface PolicyStore {

    /**
     * @return the stored policy, or {@link OrganisationPolicy#NONE} if none was ever saved
     */
    OrganisationPolicy loadPolicy();

    /**
     * Replaces the stored policy.
     *
     * @param policy the new policy
     */
    void savePolicy(OrganisationPolicy policy);

    /**
     * Records that the organisation policy required this user to enrol ("Enrolment required", so that the host can
     * tell them once), if it was not recorded before. Atomic: of concurrent calls for one user (on any node) exactly
     * one returns {@code true}, and no later call does. The record stays when the user enrols or is unenrolled: it is
     * told once.
     *
     * @param userId the user
     * @param at when the policy was first seen to apply
     * @return whether this call recorded it (the first time)
     */
    boolean recordEnrolmentRequired(String userId, Instant at);
}
