package dev.twofactor;

import static dev.twofactor.spi.BackoffScope.APP_PASSWORD;
import static dev.twofactor.spi.BackoffScope.SECOND_FACTOR;

import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.Credential;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Administration and organisation policy (SPEC §8, §9): admin unenrol and reset, the policy and its requirement. */
final class Administration {

    private final Context context;
    private final CodeCheck codes;
    private final AppPasswordManager appPasswords;
    private final Enrolments enrolments;
    private final TrustedDevices devices;

    Administration(Context context, CodeCheck codes, AppPasswordManager appPasswords, Enrolments enrolments,
                   TrustedDevices devices) {
        this.context = context;
        this.codes = codes;
        this.appPasswords = appPasswords;
        this.enrolments = enrolments;
        this.devices = devices;
    }

    Outcome<TwoFactorStatus> administer(String adminId, CharSequence adminCode, String targetUserId,
                                        boolean unenrol) {
        if (adminId.equals(targetUserId)) {
            return Outcome.rejected(Reason.SELF_UNENROL);
        }
        Instant now = context.now();
        Outcome<CodeAccepted> checked = codes.checkActiveCode(adminId, adminCode, now.toEpochMilli(), Check.ADMIN_CODE,
                Reason.ADMIN_NOT_ENABLED);
        if (!(checked instanceof Outcome.Success<CodeAccepted> success)) {
            return Context.failureAs(checked);
        }
        context.events.emit(TwoFactorEventType.VERIFIED, adminId, now,
                CodeCheck.acceptedDetails(Check.ADMIN_CODE, success.value().drift()));
        if (!context.userDirectory.exists(targetUserId)) {
            return Outcome.rejected(Reason.UNKNOWN_USER);
        }
        Credential target = context.credentials.findCredential(targetUserId).orElse(null);
        boolean enrolled = target != null && (target.enabled() || Context.livePending(target, now) != null);
        if (unenrol) {
            if (!enrolled) {
                return Outcome.rejected(Reason.NO_ENROLLMENT);
            }
            // The backoff first, the removal (one atomic step with one store) last: a failure before or in the
            // removal leaves the second factor as it was, and nothing is read after it.
            context.backoffs.resetBackoff(targetUserId, SECOND_FACTOR);
            context.backoffs.resetBackoff(targetUserId, APP_PASSWORD);
            devices.removingSecondFactor(targetUserId, now, "ADMIN_UNENROL",
                    () -> appPasswords.removeSecondFactor(targetUserId, now));
            context.events.emit(TwoFactorEventType.ADMIN_RESET, targetUserId, adminId, now,
                    Map.of("action", "UNENROL"));
            return Outcome.success(new TwoFactorStatus(TwoFactorState.NOT_CONFIGURED, null, null, false, 0, false));
        }
        if (!enrolled && context.backoffs.findBackoff(targetUserId, SECOND_FACTOR).equals(BackoffState.NONE)
                && context.backoffs.findBackoff(targetUserId, APP_PASSWORD).equals(BackoffState.NONE)) {
            return Outcome.rejected(Reason.NO_ENROLLMENT);
        }
        context.backoffs.resetBackoff(targetUserId, SECOND_FACTOR);
        context.backoffs.resetBackoff(targetUserId, APP_PASSWORD);
        context.events.emit(TwoFactorEventType.ADMIN_RESET, targetUserId, adminId, now,
                Map.of("action", "RESET_BACKOFF"));
        return Outcome.success(enrolments.status(targetUserId));
    }

    OrganisationPolicy setPolicy(String adminId, EnforcementLevel level, Duration gracePeriod) {
        if (context.configuredPolicy != null) {
            throw new IllegalStateException("The organisation policy is fixed by configuration ("
                    + ConfigurationProperties.ENFORCEMENT + "); change it there");
        }
        Instant now = context.now();
        OrganisationPolicy policy = new OrganisationPolicy(level, gracePeriod, now);
        context.policies.savePolicy(policy);
        context.events.emit(TwoFactorEventType.POLICY_CHANGED, adminId, adminId, now,
                Map.of("level", level.name(), "gracePeriod", gracePeriod.toString()));
        return policy;
    }

    Requirement requirementFor(UserContext user) {
        if (context.twoFactorEnabled(user.userId())) {
            return Requirement.Challenge.INSTANCE;
        }
        OrganisationPolicy policy = context.policy();
        if (!policy.appliesTo(user.administrator())) {
            return Requirement.Nothing.INSTANCE;
        }
        Instant now = context.now();
        Requirement.Enrol enrol;
        if (policy.gracePeriod().isZero()) {
            enrol = new Requirement.Enrol(OrganisationPolicy.ENROLMENT_REQUIRED_MESSAGE, null, true);
        } else {
            Instant start = policy.effectiveFrom();
            if (user.policyAppliesSince() != null && user.policyAppliesSince().isAfter(start)) {
                start = user.policyAppliesSince();
            }
            Instant deadline = start.plus(policy.gracePeriod());
            enrol = new Requirement.Enrol(OrganisationPolicy.ENROLMENT_REQUIRED_MESSAGE, deadline,
                    !now.isBefore(deadline));
        }
        if (context.policies.recordEnrolmentRequired(user.userId(), now)) {
            context.events.emit(TwoFactorEventType.ENROLMENT_REQUIRED, user.userId(), now, enrol.deadline() == null
                    ? Map.of("enforced", Boolean.toString(enrol.enforced()))
                    : Map.of("enforced", Boolean.toString(enrol.enforced()), "deadline", enrol.deadline().toString()));
        }
        return enrol;
    }
}
