"""Schema migrations, forward only, numbered by ``PRAGMA user_version``.

Each migration is the SQL that takes the schema from the version before it to
its own number. Never edit one that has shipped: add the next.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: organisations, applications with their actions, results and budget
    # lines, imported call definitions, frozen submitted versions, settings.
    """
    CREATE TABLE organizations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        short_name TEXT NOT NULL DEFAULT '',
        legal_form TEXT NOT NULL,
        register_type TEXT NOT NULL,
        register_number TEXT NOT NULL DEFAULT '',
        nip TEXT NOT NULL DEFAULT '',
        regon TEXT NOT NULL DEFAULT '',
        street TEXT NOT NULL DEFAULT '',
        postcode TEXT NOT NULL DEFAULT '',
        locality TEXT NOT NULL DEFAULT '',
        gmina TEXT NOT NULL DEFAULT '',
        powiat TEXT NOT NULL DEFAULT '',
        voivodeship TEXT NOT NULL DEFAULT '',
        locality_population INTEGER,
        revenues TEXT NOT NULL DEFAULT '[]',
        website TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        bank_account TEXT NOT NULL DEFAULT '',
        representatives TEXT NOT NULL DEFAULT '[]',
        contact TEXT NOT NULL DEFAULT '{}',
        members TEXT NOT NULL DEFAULT '[]',
        patron TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );

    CREATE TABLE calls (
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        definition TEXT NOT NULL,
        source TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (id, version)
    );

    CREATE TABLE applications (
        id TEXT PRIMARY KEY,
        organization_id TEXT NOT NULL REFERENCES organizations(id),
        call_id TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        start_date TEXT,
        end_date TEXT,
        place TEXT NOT NULL DEFAULT '',
        target_group TEXT NOT NULL DEFAULT '',
        summary TEXT NOT NULL DEFAULT '',
        need TEXT NOT NULL DEFAULT '',
        expected_results TEXT NOT NULL DEFAULT '',
        experience TEXT NOT NULL DEFAULT '',
        resources TEXT NOT NULL DEFAULT '',
        partners TEXT NOT NULL DEFAULT '',
        other_information TEXT NOT NULL DEFAULT '',
        confirmed_declarations TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'draft',
        cloned_from TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE INDEX applications_by_organization ON applications(organization_id);

    CREATE TABLE actions (
        id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        target_group TEXT NOT NULL DEFAULT '',
        start_date TEXT,
        end_date TEXT,
        third_party INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX actions_by_application ON actions(application_id, position);

    CREATE TABLE results (
        id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        planned_value TEXT,
        unit TEXT NOT NULL DEFAULT '',
        measurement TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX results_by_application ON results(application_id, position);

    CREATE TABLE budget_lines (
        id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        category_id TEXT NOT NULL DEFAULT '',
        action_id TEXT REFERENCES actions(id) ON DELETE SET NULL,
        name TEXT NOT NULL DEFAULT '',
        unit TEXT NOT NULL DEFAULT '',
        unit_cost TEXT NOT NULL DEFAULT '0.00',
        quantity TEXT NOT NULL DEFAULT '0',
        "grant" TEXT NOT NULL DEFAULT '0.00',
        own_financial TEXT NOT NULL DEFAULT '0.00',
        own_personal TEXT NOT NULL DEFAULT '0.00',
        own_in_kind TEXT NOT NULL DEFAULT '0.00',
        participants TEXT NOT NULL DEFAULT '0.00'
    );
    CREATE INDEX budget_lines_by_application ON budget_lines(application_id, position);
    CREATE INDEX budget_lines_by_action ON budget_lines(action_id);

    -- A submitted version is frozen: its canonical document and SHA-256 can
    -- never change, and it is never deleted (the triggers refuse both).
    CREATE TABLE submitted_versions (
        id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL REFERENCES applications(id),
        number INTEGER NOT NULL,
        replaces_id TEXT REFERENCES submitted_versions(id),
        document TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (application_id, number)
    );
    CREATE TRIGGER submitted_versions_immutable BEFORE UPDATE ON submitted_versions
    BEGIN SELECT RAISE(ABORT, 'submitted versions are frozen'); END;
    CREATE TRIGGER submitted_versions_undeletable BEFORE DELETE ON submitted_versions
    BEGIN SELECT RAISE(ABORT, 'submitted versions are frozen'); END;

    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: the outbox of frozen versions waiting to reach the operator, and the
    # operator's answers about each.
    """
    CREATE TABLE outbox (
        submission_id TEXT PRIMARY KEY REFERENCES submitted_versions(id),
        application_id TEXT NOT NULL REFERENCES applications(id),
        state TEXT NOT NULL DEFAULT 'queued',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_try_at TEXT,
        last_error TEXT,
        receipt TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX outbox_by_state ON outbox(state, next_try_at);

    CREATE TABLE operator_status (
        submission_id TEXT PRIMARY KEY REFERENCES submitted_versions(id),
        status TEXT NOT NULL,
        comment TEXT,
        updated_at TEXT NOT NULL
    );
    """,
    # 3: the files attached to an application (references; the bytes live in
    # the data folder's attachments/, content-addressed).
    """
    ALTER TABLE applications ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
    """,
    # 4: reports (sprawozdania) settling an application, their frozen
    # versions, and an outbox and answer table that carry both kinds. A
    # report's lists are JSON columns: a report is edited as a whole list
    # (a few hundred rows at most), never queried row by row.
    """
    CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL REFERENCES applications(id),
        organization_id TEXT NOT NULL REFERENCES organizations(id),
        call_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        task_start TEXT,
        task_end TEXT,
        period_start TEXT,
        period_end TEXT,
        application_sha256 TEXT NOT NULL DEFAULT '',
        summary TEXT NOT NULL DEFAULT '',
        actions TEXT NOT NULL DEFAULT '[]',
        results TEXT NOT NULL DEFAULT '[]',
        budget TEXT NOT NULL DEFAULT '[]',
        documents TEXT NOT NULL DEFAULT '[]',
        volunteer_work TEXT NOT NULL DEFAULT '[]',
        in_kind TEXT NOT NULL DEFAULT '[]',
        other_information TEXT NOT NULL DEFAULT '',
        attachments TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'draft',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE INDEX reports_by_application ON reports(application_id);

    CREATE TABLE report_versions (
        id TEXT PRIMARY KEY,
        report_id TEXT NOT NULL REFERENCES reports(id),
        number INTEGER NOT NULL,
        replaces_id TEXT REFERENCES report_versions(id),
        document TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (report_id, number)
    );
    CREATE TRIGGER report_versions_immutable BEFORE UPDATE ON report_versions
    BEGIN SELECT RAISE(ABORT, 'submitted versions are frozen'); END;
    CREATE TRIGGER report_versions_undeletable BEFORE DELETE ON report_versions
    BEGIN SELECT RAISE(ABORT, 'submitted versions are frozen'); END;

    -- Every frozen version, of either kind, as the outbox sees them.
    CREATE VIEW frozen_versions AS
        SELECT id, 'application' AS kind, application_id AS owner_id, number, document, sha256,
               created_at
        FROM submitted_versions
        UNION ALL
        SELECT id, 'report', report_id, number, document, sha256, created_at
        FROM report_versions;

    CREATE TABLE outbox_v4 (
        submission_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL DEFAULT 'application',
        application_id TEXT NOT NULL REFERENCES applications(id),
        report_id TEXT REFERENCES reports(id),
        state TEXT NOT NULL DEFAULT 'queued',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_try_at TEXT,
        last_error TEXT,
        receipt TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    INSERT INTO outbox_v4 (submission_id, application_id, state, attempts, next_try_at,
                           last_error, receipt, created_at, updated_at)
        SELECT submission_id, application_id, state, attempts, next_try_at, last_error,
               receipt, created_at, updated_at
        FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_v4 RENAME TO outbox;
    CREATE INDEX outbox_by_state ON outbox(state, next_try_at);

    CREATE TABLE operator_status_v4 (
        submission_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        comment TEXT,
        updated_at TEXT NOT NULL
    );
    INSERT INTO operator_status_v4 SELECT submission_id, status, comment, updated_at
        FROM operator_status;
    DROP TABLE operator_status;
    ALTER TABLE operator_status_v4 RENAME TO operator_status;
    """,
    # 5: one operator login per organisation. The operator's address (and
    # whether plain http is allowed for it) belongs to an organisation; the
    # token itself never enters this file (keyring or session, keyed by address
    # and organisation). The single address of schema 4 goes to the only
    # organisation, or to the one organisation whose submissions went out
    # under it; with several candidates nobody gets it (each waits for its own
    # login) and the address stays in settings only as the dialog's suggestion.
    # An outbox item may be held until a moment (the call opens) even from a
    # manual send, and remembers why it failed (a new login may cure it).
    """
    CREATE TABLE operator_logins (
        organization_id TEXT PRIMARY KEY REFERENCES organizations(id),
        server_url TEXT NOT NULL,
        allow_insecure_http INTEGER NOT NULL DEFAULT 0,
        legacy_token INTEGER NOT NULL DEFAULT 0,
        last_pull TEXT,
        updated_at TEXT NOT NULL
    );
    INSERT INTO operator_logins (organization_id, server_url, legacy_token, last_pull,
                                 updated_at)
        SELECT candidate.id, url.value, 1,
               (SELECT value FROM settings WHERE key = 'operator_last_pull'),
               strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        FROM settings AS url,
             (SELECT id FROM organizations
              WHERE (SELECT COUNT(*) FROM organizations) = 1
              UNION
              SELECT DISTINCT a.organization_id AS id FROM outbox AS o
              JOIN applications AS a ON a.id = o.application_id
              WHERE o.state = 'sent'
                AND (SELECT COUNT(DISTINCT a2.organization_id) FROM outbox AS o2
                     JOIN applications AS a2 ON a2.id = o2.application_id
                     WHERE o2.state = 'sent') = 1) AS candidate
        WHERE url.key = 'operator_url' AND url.value != ''
          AND (SELECT COUNT(*) FROM organizations) >= 1;
    DELETE FROM settings WHERE key = 'operator_last_pull';
    ALTER TABLE outbox ADD COLUMN hold_until TEXT;
    ALTER TABLE outbox ADD COLUMN error_code TEXT;
    """,
    # 6: what the statutory forms (Dz.U. 2018 poz. 2055/2057) ask and schema 5
    # did not hold. The one results text becomes the first of III.5's three
    # questions; a third party's flag becomes a scope the volunteer still has
    # to describe (the check warns while it reads as below: the same words as
    # domain.application.THIRD_PARTY_SCOPE_TO_DESCRIBE).
    """
    ALTER TABLE organizations ADD COLUMN correspondence_address TEXT NOT NULL DEFAULT '';

    ALTER TABLE applications ADD COLUMN task_sphere TEXT NOT NULL DEFAULT '';
    ALTER TABLE applications ADD COLUMN results_products TEXT NOT NULL DEFAULT '';
    ALTER TABLE applications ADD COLUMN results_change TEXT NOT NULL DEFAULT '';
    ALTER TABLE applications ADD COLUMN results_durability TEXT NOT NULL DEFAULT '';
    ALTER TABLE applications ADD COLUMN paid_execution TEXT NOT NULL DEFAULT '';
    ALTER TABLE applications ADD COLUMN joint_offer_roles TEXT NOT NULL DEFAULT '';
    ALTER TABLE applications ADD COLUMN tax_arrears TEXT NOT NULL DEFAULT '';
    ALTER TABLE applications ADD COLUMN social_insurance_arrears TEXT NOT NULL DEFAULT '';
    UPDATE applications SET results_products = expected_results;
    ALTER TABLE applications DROP COLUMN expected_results;

    ALTER TABLE actions ADD COLUMN third_party_scope TEXT NOT NULL DEFAULT '';
    UPDATE actions SET third_party_scope = 'podmiot niebędący stroną umowy – zakres do opisania'
        WHERE third_party != 0;
    ALTER TABLE actions DROP COLUMN third_party;

    ALTER TABLE budget_lines ADD COLUMN year_values TEXT NOT NULL DEFAULT '[]';

    ALTER TABLE reports ADD COLUMN contract_date TEXT;
    ALTER TABLE reports ADD COLUMN contract_number TEXT NOT NULL DEFAULT '';
    ALTER TABLE reports ADD COLUMN other_revenues TEXT NOT NULL DEFAULT '';
    ALTER TABLE reports ADD COLUMN recipient_payments TEXT NOT NULL DEFAULT '';
    """,
    # 7: the home list (Store.list_applications) read from an index in its order,
    # not from every application's texts (13 MB for 1,000) sorted in a temporary
    # tree: a third of the query's time at the window's start.
    """
    CREATE INDEX applications_listed
        ON applications(updated_at DESC, id, organization_id, call_id, title, status, deleted_at);
    """,
]

LATEST_VERSION = len(MIGRATIONS)
