-- finmon's two schemas.  finmon (the extension's own, created with it) holds what a reader
-- uses: the reports, period views, printed tables, appendices and reconciliation, the
-- reference tables, the import views and the functions and aggregates.  finmon_data holds
-- what the reports are made of: the tables of figures and layouts, the period views' tables, the
-- audit and change logs, the write path's declarations and functions, and the internal views.  Editors read
-- it (their councils' rows), admins its logs too, readers none of it; only finmon_guard
-- writes it, through the write path.

CREATE SCHEMA finmon_data;
COMMENT ON SCHEMA finmon_data IS
    'finmon''s tables of figures, layouts and logs and its internal views: what the reports in schema finmon are made of. Read by finmon_editor (its councils'' rows) and finmon_admin; written only through finmon''s load functions.';
