package dev.twofactor;

import static dev.twofactor.Fixture.reason;
import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

@SuppressWarnings("deprecation") // uses the deprecated Set form of createAppPassword on purpose
class TwoFactorServiceAdminTest {

    private static final Set<String> USERS = Set.of("admin", "alice", "bob");

    private final Fixture f = new Fixture(b -> b.userDirectory(USERS::contains));
    private final Fixture.Enabled admin = f.enable("admin");

    @Test
    void unenrolClearsSecretRecoveryCodesAndLockAndNamesTheAdmin() {
        Fixture.Enabled alice = f.enable("alice");
        lock("alice", alice);
        success(f.service.createAppPassword("alice", "Mail", Set.of()));

        TwoFactorStatus status = success(f.service.adminUnenrol("admin", adminCode(), "alice"));

        assertThat(status).isEqualTo(new TwoFactorStatus(TwoFactorState.NOT_CONFIGURED, null, null, false, 0, false));
        assertThat(f.store.findCredential("alice")).isEmpty();
        assertThat(f.store.countUnused("alice")).isZero();
        assertThat(f.backoff("alice")).isEqualTo(BackoffState.NONE);
        assertThat(f.service.appPasswords("alice")).isEmpty();
        TwoFactorEvent event = f.events.last(TwoFactorEventType.ADMIN_RESET);
        assertThat(event.userId()).isEqualTo("alice");
        assertThat(event.actorId()).isEqualTo("admin");
        assertThat(event.details()).containsEntry("action", "UNENROL");
        // The administrator's own code check is audited as well, before the reset it authorised.
        TwoFactorEvent verified = f.events.last(TwoFactorEventType.VERIFIED);
        assertThat(verified.userId()).isEqualTo("admin");
        assertThat(verified.details()).containsEntry("check", "ADMIN_CODE");
        assertThat(f.events.events.indexOf(verified)).isLessThan(f.events.events.indexOf(event));
        assertThat(success(f.service.startEnrolment("alice", "alice@example.com"))).isNotNull();
    }

    @Test
    void unenrolRevokesEveryAppPasswordAfterRemovingTheCredential() {
        f.enable("alice");
        f.enable("bob");
        NewAppPassword mail = success(f.service.createAppPassword("alice", "Mail", Set.of()));
        NewAppPassword phone = success(f.service.createAppPassword("alice", "Phone", Set.of("calendar")));
        NewAppPassword bobs = success(f.service.createAppPassword("bob", "Mail", Set.of()));
        assertThat(f.service.verifyAppPassword("alice", mail.code()).succeeded()).isTrue();
        f.events.clear();

        success(f.service.adminUnenrol("admin", adminCode(), "alice"));

        assertThat(f.service.appPasswords("alice")).isEmpty();
        assertThat(reason(f.service.verifyAppPassword("alice", mail.code()))).isEqualTo(Reason.WRONG_APP_PASSWORD);
        assertThat(reason(f.service.verifyAppPassword("alice", phone.code()))).isEqualTo(Reason.WRONG_APP_PASSWORD);
        f.events.assertAppPasswordsRevoked("alice", mail, phone);
        assertThat(f.service.verifyAppPassword("bob", bobs.code()).succeeded()).isTrue();
        f.enable("alice");
        assertThat(reason(f.service.verifyAppPassword("alice", mail.code()))).isEqualTo(Reason.WRONG_APP_PASSWORD);
    }

    @Test
    void unenrolClearsAPendingOnlyEnrolmentToo() {
        success(f.service.startEnrolment("alice", "alice@example.com"));

        assertThat(success(f.service.adminUnenrol("admin", adminCode(), "alice")).state())
                .isEqualTo(TwoFactorState.NOT_CONFIGURED);
        assertThat(f.store.findCredential("alice")).isEmpty();
    }

    @Test
    void anAdminCannotUnenrolThemselvesEvenWithAValidCode() {
        String code = adminCode();

        assertThat(reason(f.service.adminUnenrol("admin", code, "admin"))).isEqualTo(Reason.SELF_UNENROL);
        assertThat(reason(f.service.adminResetBackoff("admin", code, "admin"))).isEqualTo(Reason.SELF_UNENROL);
        assertThat(f.service.status("admin").state()).isEqualTo(TwoFactorState.ENABLED);
        // The code was not even looked at, so it is still unused.
        assertThat(f.service.verifyCode("admin", code).succeeded()).isTrue();
    }

    @Test
    void selfUnenrolIsCheckedBeforeTheAdminsOwnEnrolment() {
        assertThat(reason(f.service.adminUnenrol("carol", "123456", "carol"))).isEqualTo(Reason.SELF_UNENROL);
    }

    @Test
    void anAdminWithoutTwoFactorCannotUnenrolAnyone() {
        f.enable("alice");

        Outcome<TwoFactorStatus> outcome = f.service.adminUnenrol("bob", "123456", "alice");

        assertThat(reason(outcome)).isEqualTo(Reason.ADMIN_NOT_ENABLED);
        assertThat(outcome.message()).isEqualTo("Enable two-factor authentication on your own account first.");
        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(f.backoff("bob").failures()).isZero();
    }

    @Test
    void aWrongAdminCodeCountsTowardTheAdminsBackoffAndChangesNothing() {
        f.enable("alice");

        assertThat(reason(f.service.adminUnenrol("admin", f.wrongCode(admin.secret()), "alice")))
                .isEqualTo(Reason.WRONG_CODE);
        assertThat(reason(f.service.adminUnenrol("admin", "12", "alice"))).isEqualTo(Reason.MALFORMED_CODE);

        assertThat(f.backoff("admin").failures()).isEqualTo(2);
        assertThat(f.backoff("alice").failures()).isZero();
        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(f.service.adminUnenrol("admin", adminCode(), "alice")).isInstanceOf(Outcome.RateLimited.class);
        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void aLockedAdminIsRefused() {
        f.enable("alice");
        lock("admin", admin);

        assertThat(f.service.adminUnenrol("admin", adminCode(), "alice")).isInstanceOf(Outcome.Locked.class);
        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void theAdminsCodeCountsAsUsed() {
        f.enable("alice");
        f.enable("bob");
        String code = adminCode();
        assertThat(f.service.adminUnenrol("admin", code, "alice").succeeded()).isTrue();

        assertThat(reason(f.service.adminUnenrol("admin", code, "bob"))).isEqualTo(Reason.CODE_ALREADY_USED);
        assertThat(f.service.status("bob").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void unknownUserIsDistinctFromNoEnrolment() {
        Outcome<TwoFactorStatus> unknown = f.service.adminUnenrol("admin", adminCode(), "mallory");
        f.clock.advance(Duration.ofSeconds(30));
        Outcome<TwoFactorStatus> notEnrolled = f.service.adminUnenrol("admin", adminCode(), "bob");

        assertThat(reason(unknown)).isEqualTo(Reason.UNKNOWN_USER);
        assertThat(unknown.message()).isEqualTo("No such user.");
        assertThat(reason(notEnrolled)).isEqualTo(Reason.NO_ENROLLMENT);
        assertThat(notEnrolled.message()).isEqualTo("No enrollment found for this user.");
    }

    @Test
    void unknownUserIsAnsweredEvenWhenTheStoreHasARecordForTheId() {
        f.enable("ghost"); // an account the host deleted, whose enrolment is still stored

        assertThat(reason(f.service.adminUnenrol("admin", adminCode(), "ghost"))).isEqualTo(Reason.UNKNOWN_USER);
        assertThat(f.store.findCredential("ghost")).isPresent();
    }

    @Test
    void theAdminsCodeIsCheckedBeforeTheTargetIsLookedUp() {
        assertThat(reason(f.service.adminUnenrol("admin", f.wrongCode(admin.secret()), "mallory")))
                .isEqualTo(Reason.WRONG_CODE);
    }

    @Test
    void anExpiredPendingEnrolmentIsNoEnrolment() {
        success(f.service.startEnrolment("alice", "alice@example.com"));
        f.clock.advance(Duration.ofMinutes(10));

        assertThat(reason(f.service.adminUnenrol("admin", adminCode(), "alice"))).isEqualTo(Reason.NO_ENROLLMENT);
    }

    @Test
    void resetBackoffUnlocksAndKeepsTheEnrolment() {
        Fixture.Enabled alice = f.enable("alice");
        lock("alice", alice);
        assertThat(f.service.status("alice").locked()).isTrue();

        TwoFactorStatus status = success(f.service.adminResetBackoff("admin", adminCode(), "alice"));

        assertThat(status.state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(status.locked()).isFalse();
        assertThat(status.remainingRecoveryCodes()).isEqualTo(8);
        assertThat(f.events.last(TwoFactorEventType.ADMIN_RESET).details()).containsEntry("action", "RESET_BACKOFF");
        assertThat(f.service.verifyCode("alice", f.code(alice.secret(), 1)).succeeded()).isTrue();
    }

    @Test
    void resetBackoffOfAUserWithoutEnrolmentButLockedByAppPasswordsWorks() {
        Fixture three = new Fixture(b -> b.userDirectory(USERS::contains)
                .backoffPolicy(BackoffPolicy.builder().lockAfter(3).build()));
        Fixture.Enabled threeAdmin = three.enable("admin");
        three.enable("bob");
        NewAppPassword bobs = success(three.service.createAppPassword("bob", "Mail", Set.of()));
        for (int i = 0; i < 3; i++) {
            three.service.verifyAppPassword("bob", "0000 0000 0000 0000 0000");
            three.clock.advance(Duration.ofHours(2));
        }
        assertThat(three.service.verifyAppPassword("bob", bobs.code())).as("locked: answered as wrong")
                .isEqualTo(Outcome.rejected(Reason.WRONG_APP_PASSWORD));
        assertThat(three.store.findBackoff("bob", BackoffScope.APP_PASSWORD).locked()).isTrue();
        // Disabling removes the enrolment and the app passwords; the app-password lock stays for an administrator.
        success(three.service.disable("bob", Fixture.password()));
        three.enable("bob");
        NewAppPassword again = success(three.service.createAppPassword("bob", "Mail", Set.of()));
        assertThat(three.service.verifyAppPassword("bob", again.code())).as("locked: answered as wrong")
                .isEqualTo(Outcome.rejected(Reason.WRONG_APP_PASSWORD));
        assertThat(three.store.findBackoff("bob", BackoffScope.APP_PASSWORD).locked()).isTrue();
        success(three.service.disable("bob", Fixture.password()));

        assertThat(three.service.adminResetBackoff("admin", three.code(threeAdmin.secret()), "bob").succeeded())
                .isTrue();
        assertThat(three.store.findBackoff("bob", BackoffScope.APP_PASSWORD)).isEqualTo(BackoffState.NONE);
        three.enable("bob");
        NewAppPassword fresh = success(three.service.createAppPassword("bob", "Mail", Set.of()));
        assertThat(three.service.verifyAppPassword("bob", fresh.code()).succeeded()).isTrue();
    }

    @Test
    void unenrolAlsoLiftsTheAppPasswordLock() {
        Fixture three = new Fixture(b -> b.userDirectory(USERS::contains)
                .backoffPolicy(BackoffPolicy.builder().lockAfter(3).build()));
        Fixture.Enabled threeAdmin = three.enable("admin");
        three.enable("alice");
        NewAppPassword alices = success(three.service.createAppPassword("alice", "Mail", Set.of()));
        for (int i = 0; i < 3; i++) {
            three.service.verifyAppPassword("alice", "0000 0000 0000 0000 0000");
            three.clock.advance(Duration.ofHours(2));
        }

        assertThat(three.service.verifyAppPassword("alice", alices.code())).as("locked: answered as wrong")
                .isEqualTo(Outcome.rejected(Reason.WRONG_APP_PASSWORD));
        assertThat(three.store.findBackoff("alice", BackoffScope.APP_PASSWORD).locked()).isTrue();

        assertThat(three.service.adminUnenrol("admin", three.code(threeAdmin.secret()), "alice").succeeded()).isTrue();

        // The app passwords went with the enrolment; the lock went too, so a new one works at once.
        assertThat(three.store.findBackoff("alice", BackoffScope.APP_PASSWORD)).isEqualTo(BackoffState.NONE);
        three.enable("alice");
        NewAppPassword fresh = success(three.service.createAppPassword("alice", "Mail", Set.of()));
        assertThat(three.service.verifyAppPassword("alice", fresh.code()).succeeded()).isTrue();
    }

    @Test
    void resetBackoffWithNothingToResetIsNoEnrolment() {
        assertThat(reason(f.service.adminResetBackoff("admin", adminCode(), "bob"))).isEqualTo(Reason.NO_ENROLLMENT);
    }

    private String adminCode() {
        return f.code(admin.secret());
    }

    private void lock(String userId, Fixture.Enabled user) {
        for (int i = 0; i < 100; i++) {
            f.service.verifyCode(userId, f.wrongCode(user.secret()));
            f.clock.advance(Duration.ofHours(1));
        }
        assertThat(f.backoff(userId).locked()).isTrue();
    }
}
