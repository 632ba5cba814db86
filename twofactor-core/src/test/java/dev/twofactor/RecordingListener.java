package dev.twofactor;

import java.util.List;
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

    void clear() {
        events.clear();
    }
}
