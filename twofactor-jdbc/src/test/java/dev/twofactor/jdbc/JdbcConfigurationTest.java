package dev.twofactor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.UserContext;
import dev.twofactor.jdbc.internal.SqlScript;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Builder validation, dialect names and the shipped scripts, without a database. */
class JdbcConfigurationTest {

    private final DataSource neverConnected = new SimpleDataSource.NoConnections();

    @ParameterizedTest
    @ValueSource(strings = {"", "1tf_", "tf-", "tf_; DROP TABLE users; --", "tf_\u00e9", "tf.", "tf_ ", " tf_",
            "tf_${prefix}", "abcdefghijklmnopqrstuvwxyz_abcdefg"})
    void tablePrefixWhenNotAnIdentifierThenRefusedBeforeAnySql(String prefix) {
        JdbcTwoFactorStore.Builder builder = JdbcTwoFactorStore.builder(neverConnected);

        assertThatThrownBy(() -> builder.tablePrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Table prefix must match [A-Za-z_][A-Za-z0-9_]* and have at most 32 characters");
        assertThatThrownBy(() -> JdbcSchema.createScript(JdbcDialect.H2, prefix))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf_", "_", "A", "app_2fa_", "TF", "abcdefghijklmnopqrstuvwxyz_abcde"})
    void tablePrefixWhenAnIdentifierThenAccepted(String prefix) {
        JdbcTwoFactorStore store = JdbcTwoFactorStore.builder(neverConnected).dialect(JdbcDialect.POSTGRESQL)
                .tablePrefix(prefix).build();

        assertThat(store.tablePrefix()).isEqualTo(prefix);
        assertThat(store.dialect()).isEqualTo(JdbcDialect.POSTGRESQL);
    }

    @Test
    void builderDefaultsToTheTfPrefixAndNeedsADataSource() {
        JdbcTwoFactorStore store = JdbcTwoFactorStore.builder(neverConnected).dialect(JdbcDialect.H2).build();

        assertThat(store.tablePrefix()).isEqualTo("tf_").isEqualTo(JdbcTwoFactorStore.DEFAULT_TABLE_PREFIX);
        assertThat(store).hasToString("JdbcTwoFactorStore[dialect=H2, tablePrefix=tf_]");
        assertThatNullPointerException().isThrownBy(() -> JdbcTwoFactorStore.builder(null));
    }

    @Test
    void dialectIsChosenFromTheProductName() {
        assertThat(JdbcDialect.forProductName("H2")).isEqualTo(JdbcDialect.H2);
        assertThat(JdbcDialect.forProductName("PostgreSQL")).isEqualTo(JdbcDialect.POSTGRESQL);
        assertThat(JdbcDialect.forProductName("MySQL")).isEqualTo(JdbcDialect.MYSQL);
        assertThat(JdbcDialect.forProductName("MariaDB")).isEqualTo(JdbcDialect.MYSQL);
        assertThatThrownBy(() -> JdbcDialect.forProductName("Oracle"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unsupported database \"Oracle\": "
                        + "twofactor-jdbc supports H2, PostgreSQL, MySQL and MariaDB");
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void everyTableAndIndexOfTheScriptsCarriesThePrefixAndTheDropScriptDropsEveryTable(JdbcDialect dialect) {
        String create = SqlScript.load(dialect.createScriptResource());
        String drop = SqlScript.load(dialect.dropScriptResource());
        Pattern named = Pattern.compile("(?:TABLE IF NOT EXISTS|INDEX IF NOT EXISTS|INDEX|CONSTRAINT|ON)\\s+(\\S+)");

        Matcher names = named.matcher(String.join("\n", SqlScript.statements(create)));
        int found = 0;
        while (names.find()) {
            assertThat(names.group(1)).startsWith("${prefix}");
            found++;
        }
        assertThat(found).isGreaterThanOrEqualTo(9);
        List<String> created = tables(create, "CREATE TABLE IF NOT EXISTS ");
        assertThat(created).containsExactlyInAnyOrder("credential", "recovery_code", "recovery_code_set",
                "backoff", "app_password", "policy", "enrolment_required", "trusted_device");
        assertThat(tables(drop, "DROP TABLE IF EXISTS ")).containsExactlyInAnyOrderElementsOf(created);
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void everyUserIdColumnHoldsExactlyTheLongestIdTheServiceAccepts(JdbcDialect dialect) {
        // One limit: the service's rule (UserContext), the store's early refusal and the columns' width.
        assertThat(JdbcTwoFactorStore.MAX_USER_ID_LENGTH).isEqualTo(UserContext.MAX_USER_ID_LENGTH);
        Matcher columns = Pattern.compile("\\buser_id\\s+(VARCHAR|VARBINARY)\\((\\d+)\\)")
                .matcher(SqlScript.load(dialect.createScriptResource()));
        int found = 0;
        while (columns.find()) {
            // MySQL and MariaDB keep ids as UTF-8 bytes: four per character at most.
            int perCharacter = columns.group(1).equals("VARBINARY") ? 4 : 1;
            assertThat(Integer.parseInt(columns.group(2))).as(columns.group())
                    .isEqualTo(UserContext.MAX_USER_ID_LENGTH * perCharacter);
            found++;
        }
        assertThat(found).as("user_id columns (one per table)").isEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void scriptsAreAppliedWithThePrefix(JdbcDialect dialect) {
        String script = JdbcSchema.createScript(dialect, "acme_");

        assertThat(script).doesNotContain("${prefix}").contains("CREATE TABLE IF NOT EXISTS acme_credential");
        assertThat(JdbcSchema.dropScript(dialect, "acme_")).contains("DROP TABLE IF EXISTS acme_policy");
    }

    @Test
    void scriptStatementsSplitAtLineEndSemicolonsAndDropComments() {
        assertThat(SqlScript.statements("""
                -- a comment; with a semicolon
                CREATE TABLE a (
                    x INT -- not a comment line
                );

                DROP TABLE b;
                """)).containsExactly("CREATE TABLE a (\nx INT -- not a comment line\n)", "DROP TABLE b");
    }

    private static List<String> tables(String script, String keyword) {
        return SqlScript.statements(script).stream()
                .filter(statement -> statement.startsWith(keyword))
                .map(statement -> statement.substring(keyword.length()).split("[\\s(]")[0])
                .map(name -> name.substring("${prefix}".length()))
                .toList();
    }
}
