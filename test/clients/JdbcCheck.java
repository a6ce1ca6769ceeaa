// What a BI tool sees through JDBC (pgJDBC, as DBeaver, Metabase and Tableau connect), as a
// login granted finmon_reader and one council.  Run by scripts/test-clients with Debian's
// driver on the class path (java -cp /usr/share/java/postgresql.jar JdbcCheck.java FILE), which
// passes what the server's own catalog says (the oracle) in a file of tab-separated keys and
// values, lists comma-separated; prints ok / not ok lines and exits 1 if any check fails.

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

public class JdbcCheck {
    private static int failures = 0;

    private static void check(boolean ok, String what, String detail) {
        System.out.println((ok ? "ok" : "not ok") + ": JDBC: " + what + (ok || detail.isEmpty() ? "" : " (" + detail + ")"));
        if (!ok) {
            failures++;
        }
    }

    private static Map<String, String> readExpected(String file) throws IOException {
        Map<String, String> expected = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            expected.put(line.substring(0, tab), line.substring(tab + 1));
        }
        return expected;
    }

    private static List<String> list(String value) {
        return value.isEmpty() ? List.of() : Arrays.asList(value.split(","));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> expected = readExpected(args[0]);
        String council = expected.get("council");
        Properties props = new Properties();
        props.setProperty("user", expected.get("user"));
        props.setProperty("password", expected.get("password"));
        String url = "jdbc:postgresql://" + expected.get("host") + ":" + expected.get("port") + "/" + expected.get("database");
        try (Connection conn = DriverManager.getConnection(url, props)) {
            DatabaseMetaData meta = conn.getMetaData();
            List<String> periodViews = list(expected.get("period_views"));

            // The navigator: tables and views in schema finmon, as DBeaver and Metabase ask.
            Map<String, String> listed = new HashMap<>();
            try (ResultSet rs = meta.getTables(null, "finmon", "%", new String[] {"TABLE", "VIEW"})) {
                while (rs.next()) {
                    listed.put(rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE"));
                }
            }
            Set<String> missing = new TreeSet<>(periodViews);
            missing.removeAll(listed.keySet());
            check(missing.isEmpty(), "getTables(TABLE, VIEW) lists every period view (" + periodViews.size() + ")",
                  "missing: " + missing);
            Set<String> views = new TreeSet<>();
            try (ResultSet rs = meta.getTables(null, "finmon", "%", new String[] {"VIEW"})) {
                while (rs.next()) {
                    views.add(rs.getString("TABLE_NAME"));
                }
            }
            Set<String> notViews = new TreeSet<>(periodViews);
            notViews.removeAll(views);
            check(notViews.isEmpty(), "getTables(VIEW) lists every period view", "missing: " + notViews);
            Set<String> unreadable = new TreeSet<>(list(expected.get("unreadable")));
            check(listed.size() > periodViews.size() && unreadable.isEmpty(), "by default getTables lists " + listed.size()
                  + " tables and views in schema finmon, every one a reader may read", "unreadable: " + unreadable);
            // With hideUnprivilegedObjects=true, as the README's URL has it, what the login may read.
            Properties hiding = new Properties();
            hiding.putAll(props);
            hiding.setProperty("hideUnprivilegedObjects", "true");
            Set<String> shown = new TreeSet<>();
            try (Connection hidden = DriverManager.getConnection(url, hiding);
                 ResultSet rs = hidden.getMetaData().getTables(null, "finmon", "%", new String[] {"TABLE", "VIEW", "PARTITIONED TABLE", "MATERIALIZED VIEW"})) {
                while (rs.next()) {
                    shown.add(rs.getString("TABLE_NAME"));
                }
            }
            Set<String> readable = new TreeSet<>(list(expected.get("readable")));
            check(shown.equals(readable), "with hideUnprivilegedObjects=true getTables lists exactly the " + readable.size()
                  + " relations the login may read", "listed " + shown);

            for (String view : periodViews) {
                List<String> names = new ArrayList<>();
                List<String> bare = new ArrayList<>();
                try (ResultSet rs = meta.getColumns(null, "finmon", view, "%")) {
                    while (rs.next()) {
                        names.add(rs.getString("COLUMN_NAME"));
                        String remarks = rs.getString("REMARKS");
                        if (remarks == null || remarks.isBlank()) {
                            bare.add(rs.getString("COLUMN_NAME"));
                        }
                    }
                }
                check(names.equals(list(expected.get("columns." + view))),
                      "getColumns gives " + view + "'s " + names.size() + " columns in order", "got " + names);
                check(bare.isEmpty(), "every column of " + view + " has a description (REMARKS)", "none for: " + bare);
                // Declared types: each numeric column's precision and scale as the server declares them.
                Map<String, String> declared = new TreeMap<>();
                String declaredList = expected.get("declared." + view);
                if (!declaredList.isEmpty()) {
                    for (String item : declaredList.split(";")) {
                        declared.put(item.substring(0, item.indexOf(':')), item.substring(item.indexOf(':') + 1));
                    }
                }
                Map<String, String> got = new TreeMap<>();
                try (ResultSet rs = meta.getColumns(null, "finmon", view, "%")) {
                    while (rs.next()) {
                        if (rs.getInt("DATA_TYPE") == Types.NUMERIC) {
                            got.put(rs.getString("COLUMN_NAME"), rs.getInt("COLUMN_SIZE") + "," + rs.getInt("DECIMAL_DIGITS"));
                        }
                    }
                }
                check(!declared.isEmpty() && !declared.containsValue("") && got.equals(declared),
                      "getColumns gives the declared precision and scale of " + view + "'s " + declared.size() + " numeric columns",
                      "got " + got + ", declared " + declared);
                int rows = 0;
                Set<String> councils = new HashSet<>();
                try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM finmon." + view)) {
                    while (rs.next()) {
                        rows++;
                        councils.add(rs.getString("council"));
                    }
                }
                int want = Integer.parseInt(expected.get("rows." + view));
                check(rows == want, view + ": the reader reads " + want + " rows", "read " + rows);
                councils.remove(council);
                check(councils.isEmpty(), view + ": every row read is of " + council, "also " + councils);
            }

            // Amounts arrive exact, as BigDecimal; the column is reported as NUMERIC.
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT budget, forecast_outturn, variance FROM finmon.revenue_period"
                    + " WHERE financial_year = ? AND period = ? AND path = ''")) {
                ps.setString(1, expected.get("year"));
                ps.setInt(2, Integer.parseInt(expected.get("period")));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    BigDecimal budget = rs.getBigDecimal(1);
                    check(budget.toPlainString().equals(expected.get("total_budget")) && budget.scale() == 2,
                          "the grand total budget arrives as the BigDecimal " + expected.get("total_budget"), String.valueOf(budget));
                    check(rs.getBigDecimal(2).subtract(budget).compareTo(rs.getBigDecimal(3)) == 0,
                          "forecast_outturn - budget = variance, exactly, on the client", "");
                    check(rs.getMetaData().getColumnType(1) == Types.NUMERIC, "budget is reported as NUMERIC",
                          rs.getMetaData().getColumnTypeName(1));
                }
            }

            // A query that omits the schema finds finmon through the login's search_path.
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM revenue_period")) {
                rs.next();
                check(rs.getLong(1) == Long.parseLong(expected.get("rows.revenue_period")),
                      "SELECT without the schema reads revenue_period (the login's search_path includes finmon)", "");
            }

            // Refusals keep their SQLSTATE through the driver.
            for (String relation : list(expected.get("refused"))) {
                try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + relation)) {
                    check(false, "reading " + relation + " is refused with 42501", "it was read");
                } catch (SQLException e) {
                    check("42501".equals(e.getSQLState()), "reading " + relation + " is refused with 42501", e.getSQLState());
                }
            }
        }
        System.out.println(failures == 0 ? "# every JDBC check passed" : "# " + failures + " JDBC check(s) failed");
        System.exit(failures == 0 ? 0 : 1);
    }
}
