import GRDB

/// Every table of the store, as ordered migrations.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-leases-events") { db in
            try db.execute(sql: """
                CREATE TABLE lease (
                    ip INTEGER PRIMARY KEY NOT NULL,
                    mac TEXT NOT NULL,
                    client_id BLOB,
                    state TEXT NOT NULL,
                    subnet TEXT NOT NULL,
                    class TEXT,
                    hostname TEXT,
                    expires INTEGER NOT NULL,
                    updated INTEGER NOT NULL
                );
                CREATE INDEX lease_mac ON lease(mac);
                CREATE TABLE event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time REAL NOT NULL,
                    kind TEXT NOT NULL,
                    mac TEXT NOT NULL,
                    ip INTEGER NOT NULL,
                    class TEXT,
                    origin TEXT NOT NULL
                );
                CREATE INDEX event_mac ON event(mac);
                """)
        }
        migrator.registerMigration("v2-inventory") { db in
            // Lines and variables are JSON documents: they are read and
            // written whole with their device, never queried inside.
            try db.execute(sql: """
                CREATE TABLE device_group (
                    name TEXT PRIMARY KEY NOT NULL,
                    variables TEXT NOT NULL DEFAULT '{}',
                    revision INTEGER NOT NULL DEFAULT 1,
                    created REAL NOT NULL,
                    updated REAL NOT NULL
                );
                INSERT INTO device_group (name, created, updated) VALUES ('default', 0, 0);
                CREATE TABLE device (
                    mac TEXT PRIMARY KEY NOT NULL,
                    label TEXT NOT NULL DEFAULT '',
                    model TEXT,
                    grp TEXT NOT NULL REFERENCES device_group(name) ON UPDATE CASCADE,
                    state TEXT NOT NULL,
                    admin_user TEXT,
                    admin_password TEXT,
                    variables TEXT NOT NULL DEFAULT '{}',
                    lines TEXT NOT NULL DEFAULT '[]',
                    firmware TEXT,
                    last_ip TEXT,
                    created REAL NOT NULL,
                    updated REAL NOT NULL,
                    last_seen REAL,
                    revision INTEGER NOT NULL DEFAULT 1
                );
                CREATE INDEX device_grp ON device(grp);
                CREATE TABLE device_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time REAL NOT NULL,
                    kind TEXT NOT NULL,
                    mac TEXT NOT NULL,
                    ip TEXT,
                    file TEXT,
                    user_agent TEXT,
                    status INTEGER,
                    reason TEXT
                );
                CREATE INDEX device_event_mac ON device_event(mac, id);
                """)
        }
        migrator.registerMigration("v3-inventory-change-sequence") { db in
            // One number that moves whenever anything a rendering depends on
            // changes, so that a cache can poll it cheaply; a fetch that only
            // updates last_seen does not move it.
            try db.execute(sql: """
                CREATE TABLE inventory_change (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
                INSERT INTO inventory_change VALUES (1, 0);
                CREATE TRIGGER device_added AFTER INSERT ON device
                    BEGIN UPDATE inventory_change SET seq = seq + 1; END;
                CREATE TRIGGER device_removed AFTER DELETE ON device
                    BEGIN UPDATE inventory_change SET seq = seq + 1; END;
                CREATE TRIGGER device_changed AFTER UPDATE ON device WHEN OLD.revision != NEW.revision
                    BEGIN UPDATE inventory_change SET seq = seq + 1; END;
                CREATE TRIGGER group_added AFTER INSERT ON device_group
                    BEGIN UPDATE inventory_change SET seq = seq + 1; END;
                CREATE TRIGGER group_removed AFTER DELETE ON device_group
                    BEGIN UPDATE inventory_change SET seq = seq + 1; END;
                CREATE TRIGGER group_changed AFTER UPDATE ON device_group
                    BEGIN UPDATE inventory_change SET seq = seq + 1; END;
                """)
        }
        migrator.registerMigration("v4-provision-jobs") { db in
            // One job per device; `due` is NULL once the job is final. The
            // cursors start after the events that exist at upgrade time, so
            // old events do not start jobs.
            try db.execute(sql: """
                CREATE TABLE provision_job (
                    mac TEXT PRIMARY KEY NOT NULL,
                    state TEXT NOT NULL,
                    reason TEXT,
                    ip TEXT,
                    trigger TEXT NOT NULL,
                    generation INTEGER NOT NULL DEFAULT 1,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    created REAL NOT NULL,
                    updated REAL NOT NULL,
                    due REAL,
                    deadline REAL NOT NULL
                );
                CREATE INDEX provision_job_due ON provision_job(due) WHERE due IS NOT NULL;
                CREATE TABLE provision_cursor (source TEXT PRIMARY KEY NOT NULL, last_id INTEGER NOT NULL);
                INSERT INTO provision_cursor SELECT 'lease', COALESCE(MAX(id), 0) FROM event;
                INSERT INTO provision_cursor SELECT 'device', COALESCE(MAX(id), 0) FROM device_event;
                """)
        }
        migrator.registerMigration("v5-lease-origin") { db in
            // Observe mode writes leases another DHCP server granted: which
            // server, and that they are not ours (the DHCP engine leaves
            // them out of its table). Existing rows are our own.
            try db.execute(sql: """
                ALTER TABLE lease ADD COLUMN origin TEXT NOT NULL DEFAULT 'dhcp';
                ALTER TABLE lease ADD COLUMN server INTEGER;
                """)
        }
        migrator.registerMigration("v6-device-api-trust") { db in
            // What the worker trusts before it sends a phone anything: the
            // newest Digest-authenticated fetch of the device's own file
            // (when, from where), the phone's HTTPS certificate pinned at
            // first verification, and when the job's current lease began.
            try db.execute(sql: """
                ALTER TABLE device ADD COLUMN digest_fetch_time REAL;
                ALTER TABLE device ADD COLUMN digest_fetch_ip TEXT;
                ALTER TABLE device ADD COLUMN api_cert_sha256 TEXT;
                ALTER TABLE provision_job ADD COLUMN lease_started REAL;
                """)
        }
        migrator.registerMigration("v7-device-provisioning-secret") { db in
            // The device's own provisioning password, when a SET carrying it
            // was accepted, and when it came into force (NULL: pending).
            // The store file is 0600 (StoreFileMode): the value is readable
            // by autoprov's user only.
            try db.execute(sql: """
                ALTER TABLE device ADD COLUMN provisioning_secret TEXT;
                ALTER TABLE device ADD COLUMN provisioning_secret_pushed REAL;
                ALTER TABLE device ADD COLUMN provisioning_secret_since REAL;
                """)
        }
        return migrator
    }
}
