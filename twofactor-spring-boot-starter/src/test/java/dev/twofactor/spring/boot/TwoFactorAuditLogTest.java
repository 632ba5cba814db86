package dev.twofactor.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.twofactor.TwoFactorEvent;
import dev.twofactor.TwoFactorEventType;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spring.security.TwoFactorApplicationEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Core's SLF4J audit log stays on in Boot applications, beside the Spring events and the application's listener. */
class TwoFactorAuditLogTest {

    private static final String[] PROPERTIES = {"twofactor.issuer=ACME",
        "twofactor.keys=k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="};

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TwoFactorAutoConfiguration.class))
            .withUserConfiguration(Listeners.class)
            .withPropertyValues(PROPERTIES);
    private final Logger audit = (Logger) LoggerFactory.getLogger("dev.twofactor.audit");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level level;

    @BeforeEach
    void captureTheAuditLogger() {
        level = audit.getLevel();
        audit.setLevel(Level.INFO);
        // Read here only, not printed into the build output.
        audit.setAdditive(false);
        lines.start();
        audit.addAppender(lines);
    }

    @AfterEach
    void release() {
        audit.detachAppender(lines);
        audit.setLevel(level);
        audit.setAdditive(true);
    }

    @Test
    void eventWhenAuditLogDefaultThenLoggedPublishedAndHandedToTheApplicationListener() {
        runner.run(context -> {
            context.getBean(TwoFactorService.class).startEnrolment("alice", "alice@example.com");

            assertThat(lines.list).singleElement().satisfies(line -> {
                assertThat(line.getLevel()).isEqualTo(Level.INFO);
                assertThat(line.getFormattedMessage()).startsWith("ENROLMENT_STARTED user=alice ");
            });
            Listeners listeners = context.getBean(Listeners.class);
            assertThat(listeners.published).extracting(TwoFactorEvent::type)
                    .containsExactly(TwoFactorEventType.ENROLMENT_STARTED);
            assertThat(listeners.handed).extracting(TwoFactorEvent::type)
                    .containsExactly(TwoFactorEventType.ENROLMENT_STARTED);
        });
    }

    @Test
    void eventWhenAuditLogDisabledThenNotLoggedButStillPublished() {
        runner.withPropertyValues("twofactor.audit-log.enabled=false").run(context -> {
            context.getBean(TwoFactorService.class).startEnrolment("alice", "alice@example.com");

            assertThat(lines.list).isEmpty();
            Listeners listeners = context.getBean(Listeners.class);
            assertThat(listeners.published).extracting(TwoFactorEvent::type)
                    .containsExactly(TwoFactorEventType.ENROLMENT_STARTED);
            assertThat(listeners.handed).hasSize(1);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {
        final List<TwoFactorEvent> published = new CopyOnWriteArrayList<>();
        final List<TwoFactorEvent> handed = new CopyOnWriteArrayList<>();

        @Bean
        TwoFactorListener applicationListener() {
            return handed::add;
        }

        @EventListener
        void on(TwoFactorApplicationEvent event) {
            published.add(event.event());
        }
    }
}
