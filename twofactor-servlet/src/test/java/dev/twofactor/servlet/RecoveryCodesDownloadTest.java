package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.RecoveryCodes;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 13: recovery codes as a {@code text/plain} attachment with a dated header line. */
class RecoveryCodesDownloadTest {

    private TwoFactorApp app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void downloadWhenCodesIssuedThenPlainTextAttachmentWithDatedHeaderAndTheWorkingCodes() throws Exception {
        app = TwoFactorApp.start();
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        app.signInWithCode(browser, alice);

        HttpResponse<String> download = browser.post("/my/profile/two-factor/download-codes", Map.of());

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
        assertThat(download.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"Servlet-Test-recovery-codes.txt\"");
        assertThat(download.headers().firstValue("Cache-Control")).hasValue("no-store");
        List<String> lines = download.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Recovery codes for alice@example.com at Servlet Test, generated"
                + " 2030-01-01 00:01 UTC");
        assertThat(lines.get(2)).isEmpty();
        List<String> codes = lines.subList(3, lines.size());
        assertThat(codes).hasSize(8).allMatch(code -> code.matches("[A-Z0-9]{4}-[A-Z0-9]{4}"));
        // The file holds the set just issued: its codes work, the old ones do not.
        assertThat(app.service.redeemRecoveryCode("alice", codes.get(0)).succeeded()).isTrue();
        assertThat(app.service.redeemRecoveryCode("alice", alice.recoveryCodes().codes().get(0)).succeeded())
                .isFalse();
    }

    @Test
    void textWhenNamesCarryControlCharactersThenHeaderStaysOneLine() {
        String text = RecoveryCodesDownload.text(new RecoveryCodes(List.of("AAAA-BBBB")), "ACME\r\nX-Evil: 1",
                "bob\n@example.com", Instant.parse("2031-02-03T04:05:59Z"));

        assertThat(text).isEqualTo("Recovery codes for bob @example.com at ACME  X-Evil: 1,"
                + " generated 2031-02-03 04:05 UTC\n"
                + "Each code can be used once, instead of a code from your authenticator app."
                + " Keep them somewhere safe.\n"
                + "\nAAAA-BBBB\n");
    }

    @Test
    void fileNameWhenSiteNameHasOtherCharactersThenOnlyPlainOnesRemain() {
        assertThat(RecoveryCodesDownload.fileName("ACME Corp.")).isEqualTo("ACME-Corp-recovery-codes.txt");
        assertThat(RecoveryCodesDownload.fileName("../../etc/passwd\"; x"))
                .isEqualTo("etc-passwd-x-recovery-codes.txt");
        assertThat(RecoveryCodesDownload.fileName("\u00e9\u00e9")).isEqualTo("recovery-codes.txt");
    }
}
