package dev.twofactor.internal.web;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link RequirementFacts.Holder} of a session that keeps its facts in one session attribute, given the
 * attribute's read and write, so that this module needs no servlet API: the servlet filter and the Spring Security
 * integration each pass theirs (an {@code HttpSession} attribute, the servlet filter's wrapped in its own
 * serializable type).
 *
 * <p>A session invalidated meanwhile (signed out by a concurrent request) makes the container throw {@link
 * IllegalStateException} from the attribute's read or write: the read then answers no facts (so the caller reads the
 * requirement from the service) and the write keeps nothing. Any other exception passes through.
 */
public final class SessionAttributeHolder implements RequirementFacts.Holder {

    private final Supplier<RequirementFacts> get;
    private final Consumer<RequirementFacts> put;

    private SessionAttributeHolder(Supplier<RequirementFacts> get, Consumer<RequirementFacts> put) {
        this.get = Objects.requireNonNull(get, "get");
        this.put = Objects.requireNonNull(put, "put");
    }

    /**
     * @param get reads the attribute: the facts it holds, or {@code null} when it is absent or holds anything else
     * @param put writes {@code facts} into the attribute, in place of any earlier value
     * @return the holder over that attribute
     */
    public static RequirementFacts.Holder of(Supplier<RequirementFacts> get, Consumer<RequirementFacts> put) {
        return new SessionAttributeHolder(get, put);
    }

    @Override
    public RequirementFacts facts() {
        try {
            return get.get();
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    @Override
    public void keep(RequirementFacts facts) {
        try {
            put.accept(facts);
        } catch (IllegalStateException invalidated) {
            // Signed out concurrently: nothing to keep.
        }
    }
}
