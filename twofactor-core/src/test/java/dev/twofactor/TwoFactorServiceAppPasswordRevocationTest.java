package dev.twofactor;

import static dev.twofactor.Fixture.reason;
import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.AppPasswordStore;
import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * App passwords of {@link TwoFactorService} coming to an end: revoked one by one, or all of them with the second
 * factor they exist beside (SPEC §10), never created or accepted without it, and the races of both. Creation and
 * verification are {@link TwoFactorServiceAppPasswordTest}'s.
 */
@SuppressWarnings("deprecation") // uses the deprecated Set form of createAppPassword on purpose
class TwoFactorServiceAppPasswordRevocationTest {

    private final CountingHasher hasher = new CountingHasher();
    private final Fixture f = new Fixture(b -> b.hasher(hasher));

    /** App passwords exist only beside an enabled second factor (SPEC §10). */
    @BeforeEach
    void enableAlice() {
        f.enable("alice");
    }

    @Test
    void revokeStopsItAtOnce() {
        NewAppPassword created = success(f.service.createAppPassword("alice", "Mail", Set.of()));
        NewAppPassword other = success(f.service.createAppPassword("alice", "Other", Set.of()));

        AppPassword revoked = success(f.service.revokeAppPassword("alice", created.appPassword().id()));

        assertThat(revoked).isEqualTo(created.appPassword());
        assertThat(reason(f.service.verifyAppPassword("alice", created.code()))).isEqualTo(Reason.WRONG_APP_PASSWORD);
        assertThat(f.service.appPasswords("alice")).containsExactly(other.appPassword());
        assertThat(f.events.last(TwoFactorEventType.APP_PASSWORD_REVOKED).details())
                .containsEntry("appPassword", "Mail");
        assertThat(reason(f.service.revokeAppPassword("alice", created.appPassword().id())))
                .isEqualTo(Reason.APP_PASSWORD_NOT_FOUND);
    }

    @Test
    void revokeOfAnotherUsersAppPasswordIsNotFoundAndChangesNothing() {
        f.enable("bob");
        NewAppPassword bobs = success(f.service.createAppPassword("bob", "Mail", Set.of()));

        assertThat(reason(f.service.revokeAppPassword("alice", bobs.appPassword().id())))
                .isEqualTo(Reason.APP_PASSWORD_NOT_FOUND);
        assertThat(f.service.verifyAppPassword("bob", bobs.code()).succeeded()).isTrue();
    }

    @Test
    void aRevocationBetweenTheHashCheckAndTheRecordedUseWins() throws Exception {
        // The verification has matched the hash when the revocation completes; it must still be rejected.
        CountDownLatch matched = new CountDownLatch(1);
        CountDownLatch revoked = new CountDownLatch(1);
        InMemoryTwoFactorStore store = f.store;
        AppPasswordStore pausing = new ForwardingAppPasswordStore(store) {
            @Override
            public boolean recordUse(String userId, String id, Instant usedAt) {
                matched.countDown();
                await(revoked);
                return super.recordUse(userId, id, usedAt);
            }
        };
        TwoFactorService service = f.builder().appPasswordStore(pausing).build();
        NewAppPassword created = success(service.createAppPassword("alice", "Mail", Set.of()));
        List<Outcome<AppPasswordGrant>> result = new ArrayList<>();
        Thread verifier = new Thread(() -> result.add(service.verifyAppPassword("alice", created.code())));
        verifier.start();

        await(matched);
        assertThat(service.revokeAppPassword("alice", created.appPassword().id()).succeeded()).isTrue();
        revoked.countDown();
        verifier.join(10_000);

        assertThat(reason(result.get(0))).isEqualTo(Reason.WRONG_APP_PASSWORD);
    }

    @Test
    void concurrentRevokeAndUseNeverAcceptsAfterTheRevocationCompleted() throws Exception {
        Fixture lenient = new Fixture(b -> b.backoffPolicy(
                BackoffPolicy.builder().toleratedFailures(1_000_000).lockAfter(1_000_001).build()));
        lenient.enable("alice");
        for (int iteration = 0; iteration < 100; iteration++) {
            NewAppPassword created = success(lenient.service.createAppPassword("alice", "Mail", Set.of()));
            AtomicLong revokedAt = new AtomicLong(Long.MAX_VALUE);
            AtomicBoolean acceptedAfterRevocation = new AtomicBoolean();
            CountDownLatch go = new CountDownLatch(1);
            Thread user = new Thread(() -> {
                await(go);
                for (int attempt = 0; attempt < 200; attempt++) {
                    long started = System.nanoTime();
                    boolean accepted = lenient.service.verifyAppPassword("alice", created.code()).succeeded();
                    if (accepted && started > revokedAt.get()) {
                        acceptedAfterRevocation.set(true);
                    }
                    if (!accepted && revokedAt.get() != Long.MAX_VALUE) {
                        return;
                    }
                }
            });
            user.start();
            go.countDown();
            Thread.onSpinWait();
            assertThat(lenient.service.revokeAppPassword("alice", created.appPassword().id()).succeeded()).isTrue();
            revokedAt.set(System.nanoTime());
            user.join(10_000);

            assertThat(acceptedAfterRevocation).as("iteration %d", iteration).isFalse();
            assertThat(lenient.service.verifyAppPassword("alice", created.code()).succeeded()).isFalse();
        }
    }

    // ------------------------------------------------ app passwords only beside an enabled second factor (SPEC §10)

    @Test
    void createWhenTwoFactorNotEnabledThenNotEnabledAndNothingStored() {
        success(f.service.startEnrolment("bob", "bob@example.com"));

        assertThat(reason(f.service.createAppPassword("carol", "Mail", Set.of()))).isEqualTo(Reason.NOT_ENABLED);
        assertThat(reason(f.service.createAppPassword("bob", "Mail", Set.of()))).isEqualTo(Reason.NOT_ENABLED);

        assertThat(f.store.findAppPasswords("carol")).isEmpty();
        assertThat(f.store.findAppPasswords("bob")).isEmpty();
        assertThat(f.events.count(TwoFactorEventType.APP_PASSWORD_CREATED)).isZero();
    }

    @Test
    void verifyWhenTwoFactorNotEnabledThenRejectedAgainstTheDummyHashAndNothingCountedOrStored() {
        // App passwords stored before the rule (or by another tool) for a user without an enabled second factor.
        success(f.service.startEnrolment("bob", "bob@example.com"));
        String code = "1234 5678 9012 3456 7890";
        for (String user : List.of("carol", "bob")) {
            f.store.insertAppPassword(new AppPasswordRecord(user + "-app", user, "Legacy", Set.of(),
                    hasher.hash(code.replace(" ", "")), Fixture.START, null));
        }
        hasher.matches.set(0);

        for (String user : List.of("carol", "bob")) {
            assertThat(reason(f.service.verifyAppPassword(user, code))).as(user).isEqualTo(Reason.WRONG_APP_PASSWORD);
            assertThat(reason(f.service.verifyAppPassword(user, "0000 0000 0000 0000 0000")))
                    .as(user).isEqualTo(Reason.WRONG_APP_PASSWORD);
            assertThat(f.store.findAppPasswords(user).get(0).lastUsedAt()).as(user).isNull();
            assertThat(f.backoff(user)).as(user).isEqualTo(BackoffState.NONE);
            assertThat(f.store.findBackoff(user, BackoffScope.APP_PASSWORD)).as(user).isEqualTo(BackoffState.NONE);
        }
        assertThat(hasher.matches).as("the dummy hash, once per attempt").hasValue(4);
        assertThat(f.events.types()).doesNotContain(TwoFactorEventType.APP_PASSWORD_USED,
                TwoFactorEventType.VERIFICATION_FAILED);
    }

    @Test
    void verifyWhenEveryoneMustEnrolAndUserHasNotThenAppPasswordRefused() {
        f.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        assertThat(f.service.requirementFor(UserContext.of("carol", false))).isInstanceOf(Requirement.Enrol.class);
        String code = "1234 5678 9012 3456 7890";
        f.store.insertAppPassword(new AppPasswordRecord("carol-app", "carol", "Legacy", Set.of(),
                hasher.hash(code.replace(" ", "")), Fixture.START, null));

        assertThat(reason(f.service.verifyAppPassword("carol", code))).isEqualTo(Reason.WRONG_APP_PASSWORD);
        assertThat(reason(f.service.createAppPassword("carol", "Mail", Set.of()))).isEqualTo(Reason.NOT_ENABLED);
        assertThat(f.service.appPasswords("carol")).hasSize(1);
    }

    @Test
    void disableRevokesEveryAppPasswordAfterRemovingTheCredential() {
        // What the store holds when each revocation is reported: the credential must already be gone.
        AtomicReference<Fixture> holder = new AtomicReference<>();
        List<String> revokedWhileCredentialStored = new ArrayList<>();
        List<String> revokedNames = new ArrayList<>();
        Fixture g = new Fixture(b -> b.listener(event -> {
            if (event.type() == TwoFactorEventType.APP_PASSWORD_REVOKED) {
                revokedNames.add(event.details().get("appPassword"));
                if (holder.get().store.findCredential(event.userId()).isPresent()) {
                    revokedWhileCredentialStored.add(event.details().get("appPassword"));
                }
            }
        }));
        holder.set(g);
        g.enable("alice");
        g.enable("bob");
        NewAppPassword mail = success(g.service.createAppPassword("alice", "Mail", Set.of()));
        NewAppPassword phone = success(g.service.createAppPassword("alice", "Phone", Set.of("calendar")));
        NewAppPassword bobs = success(g.service.createAppPassword("bob", "Mail", Set.of()));

        success(g.service.disable("alice", Fixture.password()));

        assertThat(g.service.appPasswords("alice")).isEmpty();
        assertThat(reason(g.service.verifyAppPassword("alice", mail.code()))).isEqualTo(Reason.WRONG_APP_PASSWORD);
        assertThat(reason(g.service.verifyAppPassword("alice", phone.code()))).isEqualTo(Reason.WRONG_APP_PASSWORD);
        assertThat(revokedNames).containsExactlyInAnyOrder("Mail", "Phone");
        assertThat(revokedWhileCredentialStored).isEmpty();
        assertThat(g.service.verifyAppPassword("bob", bobs.code()).succeeded()).isTrue();
        // Enabling again does not bring them back.
        g.enable("alice");
        assertThat(g.service.appPasswords("alice")).isEmpty();
        assertThat(reason(g.service.verifyAppPassword("alice", mail.code()))).isEqualTo(Reason.WRONG_APP_PASSWORD);
    }

    @Test
    void disableEmitsOneRevokedEventPerAppPasswordWithItsIdAndName() {
        NewAppPassword mail = success(f.service.createAppPassword("alice", "Mail", Set.of()));
        NewAppPassword phone = success(f.service.createAppPassword("alice", "Phone", Set.of()));
        f.events.clear();

        success(f.service.disable("alice", Fixture.password()));

        f.events.assertAppPasswordsRevoked("alice", mail, phone);
    }

    @Test
    void disableWithWrongPasswordKeepsTheAppPasswords() {
        NewAppPassword mail = success(f.service.createAppPassword("alice", "Mail", Set.of()));

        assertThat(reason(f.service.disable("alice", "wrong".toCharArray())))
                .isEqualTo(Reason.WRONG_PASSWORD_DISABLE);

        assertThat(f.service.appPasswords("alice")).containsExactly(mail.appPassword());
        assertThat(f.events.count(TwoFactorEventType.APP_PASSWORD_REVOKED)).isZero();
    }

    @Test
    void createRacingWithDisableLeavesNoAppPasswordBehind() throws Exception {
        // The creation checked the credential before the disable; its insert lands after the disable's revocation.
        CountDownLatch inserting = new CountDownLatch(1);
        CountDownLatch disabled = new CountDownLatch(1);
        InMemoryTwoFactorStore store = f.store;
        AppPasswordStore pausing = new ForwardingAppPasswordStore(store) {
            @Override
            public void insertAppPassword(AppPasswordRecord record) {
                inserting.countDown();
                await(disabled);
                super.insertAppPassword(record);
            }
        };
        TwoFactorService service = f.builder().appPasswordStore(pausing).build();
        List<Outcome<NewAppPassword>> result = new ArrayList<>();
        Thread creator = new Thread(() -> result.add(service.createAppPassword("alice", "Mail", Set.of())));
        creator.start();

        await(inserting);
        assertThat(f.service.disable("alice", Fixture.password()).succeeded()).isTrue();
        disabled.countDown();
        creator.join(10_000);

        assertThat(reason(result.get(0))).isEqualTo(Reason.NOT_ENABLED);
        assertThat(f.store.findAppPasswords("alice")).isEmpty();
        assertThat(f.events.count(TwoFactorEventType.APP_PASSWORD_CREATED)).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Passes every call to another store; a test overrides the one call it wants to pause. */
    private static class ForwardingAppPasswordStore implements AppPasswordStore {
        private final AppPasswordStore delegate;

        ForwardingAppPasswordStore(AppPasswordStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void insertAppPassword(AppPasswordRecord record) {
            delegate.insertAppPassword(record);
        }

        @Override
        public List<AppPasswordRecord> findAppPasswords(String userId) {
            return delegate.findAppPasswords(userId);
        }

        @Override
        public boolean deleteAppPassword(String userId, String id) {
            return delegate.deleteAppPassword(userId, id);
        }

        @Override
        public boolean recordUse(String userId, String id, Instant usedAt) {
            return delegate.recordUse(userId, id, usedAt);
        }

        @Override
        public void deleteAllAppPasswords(String userId) {
            delegate.deleteAllAppPasswords(userId);
        }
    }
}
