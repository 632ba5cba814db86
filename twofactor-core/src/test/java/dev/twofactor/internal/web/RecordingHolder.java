package dev.twofactor.internal.web;

import java.util.ArrayList;
import java.util.List;

/** A session's {@link RequirementFacts.Holder} that records what it was asked to keep and how often it was read. */
final class RecordingHolder implements RequirementFacts.Holder {

    final List<RequirementFacts> kept = new ArrayList<>();
    int looks;
    private RequirementFacts facts;

    @Override
    public RequirementFacts facts() {
        looks++;
        return facts;
    }

    @Override
    public void keep(RequirementFacts facts) {
        kept.add(facts);
        this.facts = facts;
    }
}
