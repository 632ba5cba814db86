package dev.twofactor.spi;

import dev.twofactor.OrganisationPolicy;

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
}
