package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Keeps every event; thread-safe. */
final class RecordingListener implements TwoFactorListener {

    final List<TwoFactorEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(TwoFactorEvent event) {
        events.add(event);
    }

    List<TwoFactorEventType> types() {
        return events.stream().map(TwoFactorEvent::type).collect(Collectors.toList());
    }

    long count(TwoFactorEventType type) {
        return events.stream().filter(event -> event.type() == type).count();
    }

    TwoFactorEvent last(TwoFactorEventType type) {
        TwoFactorEvent found = null;
        for (TwoFactorEvent event : events) {
            if (event.type() == type) {
                found = event;
            }
        }
        if (found == null) {
            throw new AssertionError("no " + type + " event in " + types());
        }
        return found;
    }

    /**
     * Asserts that exactly the given app passwords of {@code userId} were reported revoked, one
     * {@link TwoFactorEventType#APP_PASSWORD_REVOKED} event each, with the id and the name as details.
     */
    void assertAppPasswordsRevoked(String userId, NewAppPassword... revoked) {
        List<TwoFactorEvent> events = this.events.stream()
                .filter(e -> e.type() == TwoFactorEventType.APP_PASSWORD_REVOKED).toList();
        assertThat(events).extracting(TwoFactorEvent::details).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(revoked).map(p -> Map.of("appPasswordId", p.appPassword().id(),
                        "appPassword", p.appPassword().name())).toList());
        assertThat(events).allMatch(e -> userId.equals(e.userId()));
    }

    void clear() {
        events.clear();
    }
}
