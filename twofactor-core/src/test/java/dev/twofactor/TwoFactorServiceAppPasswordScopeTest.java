package dev.twofactor;

import static dev.twofactor.Fixture.reason;
import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 13: an app password's scope is explicit, FULL or LIMITED to permissions of the host's catalogue. */
class TwoFactorServiceAppPasswordScopeTest {

    private final Fixture f = new Fixture(); // catalogue: mail:read, mail:send, calendar

    @BeforeEach
    void enableAlice() {
        f.enable("alice");
    }

    @Test
    void limitedToCataloguePermissionsThenTheGrantAllowsExactlyThose() {
        NewAppPassword created = success(f.service.createAppPassword("alice", "Mail",
                AppPasswordScope.limited(Set.of("mail:read"))));

        AppPasswordGrant grant = success(f.service.verifyAppPassword("alice", created.code()));

        assertThat(grant.scope()).isEqualTo(AppPasswordScope.limited(Set.of("mail:read")));
        assertThat(grant.fullAccess()).isFalse();
        assertThat(grant.allows("mail:read")).isTrue();
        assertThat(grant.allows("mail:send")).isFalse();
    }

    @Test
    void fullThenTheGrantAllowsEverything() {
        NewAppPassword created = success(f.service.createAppPassword("alice", "Sync", AppPasswordScope.FULL));

        AppPasswordGrant grant = success(f.service.verifyAppPassword("alice", created.code()));

        assertThat(grant.scope()).isEqualTo(AppPasswordScope.FULL);
        assertThat(grant.fullAccess()).isTrue();
        assertThat(grant.allows("anything")).isTrue();
    }

    @Test
    void limitedToNoPermissionThenRejectedNotFullAccessAndNothingStored() {
        assertThat(reason(f.service.createAppPassword("alice", "Mail", AppPasswordScope.limited(Set.of()))))
                .isEqualTo(Reason.APP_PASSWORD_NO_PERMISSIONS);
        assertThat(Reason.APP_PASSWORD_NO_PERMISSIONS.message())
                .isEqualTo("Choose at least one permission, or give full access.");
        assertThat(f.store.findAppPasswords("alice")).isEmpty();
        assertThat(f.events.count(TwoFactorEventType.APP_PASSWORD_CREATED)).isZero();
    }

    @Test
    void limitedToAPermissionOutsideTheCatalogueThenRejectedAndNothingStored() {
        assertThat(reason(f.service.createAppPassword("alice", "Mail",
                AppPasswordScope.limited(Set.of("mail:read", "admin:everything")))))
                .isEqualTo(Reason.APP_PASSWORD_UNKNOWN_PERMISSION);
        assertThat(Reason.APP_PASSWORD_UNKNOWN_PERMISSION.message()).isEqualTo("That permission does not exist.");
        assertThat(f.store.findAppPasswords("alice")).isEmpty();
    }

    @Test
    void withoutACatalogueThenOnlyFullAppPasswords() {
        Fixture bare = new Fixture(b -> b.appPasswordPermissions(Set.of()));
        bare.enable("bob");

        assertThat(reason(bare.service.createAppPassword("bob", "Mail", AppPasswordScope.limited(Set.of("mail")))))
                .isEqualTo(Reason.APP_PASSWORD_UNKNOWN_PERMISSION);
        assertThat(bare.service.createAppPassword("bob", "Mail", AppPasswordScope.FULL).succeeded()).isTrue();
    }

    @Test
    @SuppressWarnings("deprecation")
    void oldSetFormThenEmptyMeansFullAndANonEmptySetIsValidatedAsLimited() {
        NewAppPassword full = success(f.service.createAppPassword("alice", "Old full", Set.of()));
        assertThat(success(f.service.verifyAppPassword("alice", full.code())).scope())
                .isEqualTo(AppPasswordScope.FULL);
        NewAppPassword limited = success(f.service.createAppPassword("alice", "Old limited", Set.of("calendar")));
        assertThat(success(f.service.verifyAppPassword("alice", limited.code())).permissions())
                .containsExactly("calendar");
        assertThat(reason(f.service.createAppPassword("alice", "Old unknown", Set.of("nope"))))
                .isEqualTo(Reason.APP_PASSWORD_UNKNOWN_PERMISSION);
    }

    @Test
    void catalogueWithABlankNameThenMisuseAtBuildTime() {
        assertThatThrownBy(() -> TwoFactorService.builder().appPasswordPermissions(Set.of("ok", " ")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
