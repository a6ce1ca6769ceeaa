-- Commentary: the explanation of a variance (a paper's Appendix B), for any node, leaf or total.

CREATE TABLE finmon.commentary (
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    line text NOT NULL,
    commentary text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, period, line)
);
COMMENT ON TABLE finmon.commentary IS
    'Explanations of variances, per period and node of the service hierarchy. Loaded through finmon.commentary_import.';
COMMENT ON COLUMN finmon.commentary.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.commentary.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.commentary.line IS 'Path of the node explained; '''' for the grand total.';
COMMENT ON COLUMN finmon.commentary.commentary IS 'The explanation, as it goes to committee.';
COMMENT ON COLUMN finmon.commentary.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon.commentary.import_batch IS 'Which load last wrote the row.';
COMMENT ON COLUMN finmon.commentary.import_row IS 'The row of that load it came from.';

SELECT pg_catalog.pg_extension_config_dump('finmon.commentary', '');

CREATE VIEW finmon.commentary_import AS
    SELECT NULL::text AS financial_year, NULL::text AS period, NULL::text AS line,
           NULL::text AS commentary
     WHERE false;
COMMENT ON VIEW finmon.commentary_import IS
    'Load commentary.csv here: \copy finmon.commentary_import FROM ''commentary.csv'' WITH (FORMAT csv, HEADER). Header financial_year,period,line,commentary; line is any node with figures at that period (load revenue first), empty for the grand total. A row for a node and period already loaded replaces it. Always reads as empty.';
COMMENT ON COLUMN finmon.commentary_import.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.commentary_import.period IS '1 to 12.';
COMMENT ON COLUMN finmon.commentary_import.line IS 'Node path, names joined by '' > ''; empty for the grand total.';
COMMENT ON COLUMN finmon.commentary_import.commentary IS 'The explanation.';

CREATE FUNCTION finmon.commentary_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    year text;
    period_number integer;
    node_path text := '';
    written integer;
    earlier integer;
BEGIN
    problem := COALESCE(finmon.financial_year_problem(NEW.financial_year),
                        finmon.period_problem(NEW.period),
                        CASE WHEN NEW.line IS NOT NULL AND btrim(NEW.line) <> ''
                             THEN finmon.line_problem(NEW.line) END,
                        CASE WHEN NEW.commentary IS NULL OR btrim(NEW.commentary) = ''
                             THEN ARRAY['22004', 'commentary is empty', NULL] END);
    IF problem IS NULL THEN
        year := btrim(NEW.financial_year);
        period_number := btrim(NEW.period)::integer;
        IF NEW.line IS NOT NULL AND btrim(NEW.line) <> '' THEN
            node_path := array_to_string(finmon.line_names(NEW.line), ' > ');
        END IF;
        PERFORM 1
           FROM finmon.revenue r
           JOIN finmon.revenue_node n ON n.analysis = r.analysis AND n.path = r.line
          WHERE r.financial_year = year AND r.period = period_number AND r.analysis = ''
            AND node_path = ANY (n.ancestors)
          LIMIT 1;
        IF NOT FOUND THEN
            problem := ARRAY['23503',
                format('no revenue figures for line "%s" in %s period %s', node_path, year, period_number),
                'Commentary explains a variance: load the period''s revenue figures first, and check the line''s spelling.'];
        END IF;
    END IF;

    IF problem IS NULL THEN
        INSERT INTO finmon.commentary AS c
               (financial_year, period, line, commentary, loaded_at, import_batch, import_row)
        VALUES (year, period_number, node_path, NEW.commentary, now(), load.batch, load.row_number)
        ON CONFLICT ON CONSTRAINT commentary_pkey DO UPDATE
           SET commentary = excluded.commentary, loaded_at = excluded.loaded_at,
               import_batch = excluded.import_batch, import_row = excluded.import_row
         WHERE c.import_batch IS DISTINCT FROM excluded.import_batch;
        GET DIAGNOSTICS written = ROW_COUNT;
        IF written = 0 THEN
            SELECT c.import_row INTO earlier FROM finmon.commentary c
             WHERE (c.financial_year, c.period, c.line) = (year, period_number, node_path);
            problem := ARRAY['23505',
                format('line "%s" for %s period %s appears twice in this load (first at row %s)',
                       node_path, year, period_number, earlier), NULL];
        END IF;
    END IF;

    IF problem IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = problem[1],
            MESSAGE = format('%s row %s: %s', TG_TABLE_NAME, load.row_number, problem[2]),
            DETAIL = 'Nothing of this load has been kept.',
            HINT = COALESCE(problem[3], 'Correct the row and load the whole file again.');
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.commentary_import_row() IS 'Trigger function of finmon.commentary_import (internal).';

CREATE TRIGGER commentary_import_begin BEFORE INSERT ON finmon.commentary_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER commentary_import_row INSTEAD OF INSERT ON finmon.commentary_import
    FOR EACH ROW EXECUTE FUNCTION finmon.commentary_import_row();

CREATE VIEW finmon.revenue_commentary AS
SELECT r.financial_year, r.period, r.path, r.label,
       r.label || ', ' ||
       CASE finmon.variance_direction(r.budget, r.forecast_outturn)
            WHEN 'adverse' THEN 'forecast overspend £' || finmon.format_money(r.variance) || 'm'
            WHEN 'favourable' THEN 'forecast underspend (£' || finmon.format_money(-r.variance) || 'm)'
            ELSE 'forecast on budget'
       END AS heading,
       r.variance, c.commentary, r.row_order
  FROM finmon.commentary c
  JOIN finmon.revenue_report r
    ON r.financial_year = c.financial_year AND r.period = c.period AND r.path = c.line;
COMMENT ON VIEW finmon.revenue_commentary IS
    'The explanation of variances (a paper''s Appendix B): each explained node with a heading computed from its figures, such as "NorseCare, forecast overspend £0.413m". ORDER BY row_order.';
COMMENT ON COLUMN finmon.revenue_commentary.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_commentary.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.revenue_commentary.path IS 'The node explained; '''' for the grand total.';
COMMENT ON COLUMN finmon.revenue_commentary.label IS 'The node''s name.';
COMMENT ON COLUMN finmon.revenue_commentary.heading IS 'The node with its forecast over- or underspend in £m, computed from the figures.';
COMMENT ON COLUMN finmon.revenue_commentary.variance IS 'The node''s variance, pounds.';
COMMENT ON COLUMN finmon.revenue_commentary.commentary IS 'The explanation.';
COMMENT ON COLUMN finmon.revenue_commentary.row_order IS 'The node''s place in the revenue report''s outline order.';
